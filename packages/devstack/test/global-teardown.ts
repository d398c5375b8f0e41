export default async function globalTeardown() {
  await (globalThis as { __stopPg?: () => Promise<void> }).__stopPg?.();
}
