import type { OutgoingNotification } from './notification-outbox';

interface Recipient {
  id: string;
  structureId: string;
  email: string;
  firstName: string;
  lastName: string;
}

/** The invitation a pre-registered user receives, carrying the token that finishes registration. */
export function invitationMessage(mailbox: Recipient, token: string, kind: 'invitation' | 'reminder' = 'invitation'): OutgoingNotification {
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
      'Pour finaliser votre inscription, utilisez ce code d\'inscription :',
      '',
      `    ${token}`,
      '',
      'Tant que votre inscription n\'est pas finalisée, votre adresse n\'est pas visible dans l\'annuaire national.',
    ].join('\n'),
  };
}
