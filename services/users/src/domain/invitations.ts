import { randomUUID } from 'crypto';
import type { RoleName } from '@usher/contracts';
import { ConflictError, invalidEmailToken, NotFoundError } from '../errors';
import type { AuditLog, InvitationsRepository, UnitOfWork, UsersRepository } from '../ports';
import type {
  AcceptInvitationInput,
  CreatedInvitation,
  Ctx,
  Invitation,
  InvitationDelivery,
  Page,
  User,
} from '../service';
import type { Accounts } from './accounts';
import { audit } from './audit';
import type { LinkMailer } from './email-links';
import { greetingName } from './recovery';

/** Invitations by email: an admin invites an address with a role; the invitee sets up the account. */
export class Invitations {
  constructor(
    private readonly repo: UsersRepository,
    private readonly invitations: InvitationsRepository,
    private readonly log: AuditLog,
    private readonly uow: UnitOfWork,
    private readonly accounts: Accounts,
    private readonly links: LinkMailer,
  ) {}

  async create(
    ctx: Ctx,
    email: string,
    role: RoleName,
    delivery: InvitationDelivery = 'email',
  ): Promise<CreatedInvitation> {
    const invitation = await this.uow.run(async (): Promise<CreatedInvitation> => {
      if (await this.repo.findByEmail(email)) throw new ConflictError('email already taken');
      const createdAt = new Date();
      const created = await this.invitations.create({
        id: randomUUID(),
        email,
        role,
        invitedBy: ctx.caller?.userId ?? null,
        createdAt,
        expiresAt: new Date(createdAt.getTime() + this.links.settings('invitation').ttlMs),
      });
      const target = { email, userId: null, invitationId: created.id };
      let link: string | undefined;
      if (delivery === 'link') {
        // No mail: the link goes to the admin in this answer only (its token is stored hashed).
        link = await this.links.issue('invitation', target, created.expiresAt);
      } else {
        const inviter = ctx.caller ? await this.repo.findById(ctx.caller.userId) : null;
        await this.links.mail(
          'invitation',
          target,
          { role, inviter: inviter ? greetingName(inviter) : 'An administrator' },
          created.expiresAt,
        );
      }
      await audit(this.log, ctx, 'invitation_created', null, {
        invitation_id: created.id,
        email,
        role,
        delivery,
        expires_at: created.expiresAt.toISOString(),
      });
      return link ? { ...created, link } : created;
    });
    if (delivery === 'email') this.links.wake();
    return invitation;
  }

  list(_ctx: Ctx, page: { offset: number; limit: number }): Promise<Page<Invitation>> {
    return this.invitations.listPending(page.offset, page.limit);
  }

  revoke(ctx: Ctx, id: string): Promise<void> {
    return this.uow.run(async () => {
      if (!(await this.invitations.close(id, 'revoked'))) throw new NotFoundError('invitation not found');
      await audit(this.log, ctx, 'invitation_revoked', null, { invitation_id: id });
    });
  }

  async accept(ctx: Ctx, input: AcceptInvitationInput): Promise<User> {
    this.accounts.checkSecret(input.secret, 'password');
    // Token, invitation and account change together: a taken username leaves the link usable.
    return this.uow.run(async () => {
      const spent = await this.links.consume('invitation', input.token);
      const invitation = spent?.invitationId ? await this.invitations.findPending(spent.invitationId) : null;
      if (!invitation) throw invalidEmailToken();
      const user = await this.accounts.register(
        ctx,
        {
          firstName: input.firstName,
          lastName: input.lastName,
          email: invitation.email,
          username: input.username,
          secret: input.secret,
          role: invitation.role,
          status: 'enabled',
          tags: [],
          metadata: {},
          picture: '',
        },
        // Opening the mailed link proved the address.
        { verified: true, details: { invitation_id: invitation.id } },
      );
      await this.invitations.close(invitation.id, 'accepted', user.id);
      await audit(this.log, ctx, 'invitation_accepted', user.id, {
        invitation_id: invitation.id,
        role: invitation.role,
        invited_by: invitation.invitedBy,
      });
      return user;
    });
  }
}
