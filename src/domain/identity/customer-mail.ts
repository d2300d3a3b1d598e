import type { DomainDeps } from '../deps';
import type { MailMessage } from './ports';

/** Hands a message to the mailer without waiting: the answer must not depend on the mail server's speed (nor say whether a mail went). */
export function dispatch(deps: DomainDeps, message: MailMessage): void {
  void deps.mailer.send(message).catch((err: unknown) => deps.log.error({ err, kind: message.kind }, 'mail not sent'));
}

export const welcomeMail = (to: string, shop: string): MailMessage => ({
  kind: 'customer.welcome',
  to,
  subject: `Welcome to ${shop}`,
  text: `Your account at ${shop} is ready: sign in with this address and the password you chose.`,
});

/** Sign-up answers alike for a known address, so its owner is told instead of the caller. */
export const alreadyRegisteredMail = (to: string, shop: string): MailMessage => ({
  kind: 'customer.signUpExisting',
  to,
  subject: `Someone tried to sign up at ${shop} with your address`,
  text:
    `Someone tried to create an account at ${shop} with this address, which already has one. Nothing was changed.\n` +
    `If it was you, sign in instead, or reset your password if you have forgotten it. If it was not, you can ignore this mail.`,
});

export const passwordResetMail = (to: string, shop: string, token: string, minutes: number): MailMessage => ({
  kind: 'customer.passwordReset',
  to,
  subject: `Reset your password at ${shop}`,
  text:
    `Someone asked to reset the password of your account at ${shop}. Your reset code, valid once for ${minutes} minutes:\n\n` +
    `${token}\n\nIf you did not ask for it, ignore this mail: your password stays as it is.`,
});
