import { isoDate } from '../../shared/clock';
import type { OutgoingNotification } from '../notifications/notification-outbox';
import { deletionWarningKey } from './lifecycle-policy';

interface WarnedBox {
  id: string;
  structureId: string;
  email: string;
  firstName: string;
  lastName: string;
}

const frenchDate = (at: Date) => isoDate(at).split('-').reverse().join('/');

/** The owner's warning: the box will be deleted from `deadline` unless it is used. Once per box, deadline and threshold. */
export function ownerDeletionWarning(
  box: WarnedBox,
  deadline: Date,
  thresholdDays: number,
  daysLeft: number,
): OutgoingNotification {
  return {
    structureId: box.structureId,
    mailboxId: box.id,
    kind: 'deletion_warning',
    recipient: box.email,
    subject: "Votre boîte de messagerie sécurisée MSSanté va être supprimée faute d'utilisation",
    body: [
      `Bonjour ${box.firstName} ${box.lastName},`,
      '',
      `La boîte de messagerie sécurisée de santé ${box.email} n'a pas été utilisée depuis près d'un an.`,
      `Sans nouvelle activité, elle sera supprimée à partir du ${frenchDate(deadline)} (dans ${daysLeft} jour${daysLeft > 1 ? 's' : ''}).`,
      'Pour la conserver, il suffit de vous y connecter avant cette date.',
      '',
      "Après suppression, l'administrateur de votre structure pourra la restaurer pendant quelques mois.",
    ].join('\n'),
    dedupeKey: deletionWarningKey(box.id, deadline, thresholdDays),
  };
}

export interface DigestLine {
  mailboxId: string;
  email: string;
  deadline: Date;
}

/**
 * The admins' notice: one digest per structure and sweep, listing the boxes whose owners this
 * sweep warned (so a box appears in a digest once per warning, never twice for one deadline).
 */
export function adminDeletionDigest(
  structure: { id: string; name: string; contactEmail: string },
  lines: DigestLine[],
  sweepId: string,
): OutgoingNotification {
  return {
    structureId: structure.id,
    mailboxId: null,
    kind: 'deletion_warning',
    recipient: structure.contactEmail,
    subject: `MSSanté : ${lines.length} boîte${lines.length > 1 ? 's' : ''} de votre structure bientôt supprimée${lines.length > 1 ? 's' : ''} faute d'utilisation`,
    body: [
      'Bonjour,',
      '',
      `Les boîtes suivantes de la structure ${structure.name} n'ont pas été utilisées depuis près d'un an.`,
      'Leurs titulaires ont été prévenus. Sans nouvelle activité, elles seront supprimées à partir de la date indiquée :',
      '',
      ...lines.map((line) => `  - ${line.email} : ${frenchDate(line.deadline)}`),
      '',
      'La liste à jour est disponible dans la console (boîtes à échéance).',
    ].join('\n'),
    dedupeKey: `deletion-warning-digest:${structure.id}:${sweepId}:${lines[0]!.mailboxId}`,
  };
}
