import type { OutgoingNotification } from './notification-outbox';

interface Recipient {
  id: string;
  structureId: string;
  email: string;
  firstName: string;
  lastName: string;
}

/** The invitation a pre-registered user receives, carrying the token that finishes registration. */
export function invitationMessage(
  mailbox: Recipient,
  token: string,
  kind: 'invitation' | 'reminder' = 'invitation',
): OutgoingNotification {
  const opening = kind === 'reminder' ? 'Rappel : votre' : 'Votre';
  return {
    structureId: mailbox.structureId,
    mailboxId: mailbox.id,
    kind,
    recipient: mailbox.email,
    subject: `${opening} compte de messagerie sécurisée MSSanté vous attend`,
    body: [
      `Bonjour ${mailbox.firstName} ${mailbox.lastName},`,
      '',
      `${opening} compte de messagerie sécurisée de santé a été préparé par l'administrateur de votre structure.`,
      "Pour finaliser votre inscription, utilisez ce code d'inscription :",
      '',
      `    ${token}`,
      '',
      "Tant que votre inscription n'est pas finalisée, votre adresse n'est pas visible dans l'annuaire national.",
    ].join('\n'),
  };
}

/** Sent to the new reference address once a change-of-mail request is approved. */
export function emailChangedMessage(mailbox: Recipient, previousEmail: string): OutgoingNotification {
  return {
    structureId: mailbox.structureId,
    mailboxId: mailbox.id,
    kind: 'email_change',
    recipient: mailbox.email,
    subject: 'Votre adresse de connexion MSSanté a été modifiée',
    body: [
      `Bonjour ${mailbox.firstName} ${mailbox.lastName},`,
      '',
      `L'adresse de référence de votre compte de messagerie sécurisée de santé est désormais ${mailbox.email}`,
      `(elle remplace ${previousEmail}). C'est elle qui reçoit vos codes de connexion.`,
      '',
      "Si vous n'êtes pas à l'origine de cette demande, contactez l'administrateur de votre structure.",
    ].join('\n'),
  };
}

/** The line of an invitation or reminder that carries the registration token. */
const REGISTRATION_TOKEN_LINE = /^ {4}[A-Za-z0-9_-]{40,}$/gm;

/**
 * A registration token finishes someone's registration, which is a write: keys that may only
 * read see the message with the token hidden.
 */
export const hideRegistrationToken = (body: string) =>
  body.replace(REGISTRATION_TOKEN_LINE, '    [hidden from read-only keys]');
