import type { LifecycleConfig } from '../../config/config';
import { primeRows } from '../../platform/downloads';
import { AppError } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { lifecycleDatesOf } from '../lifecycle';
import { retentionCutoff, warningCutoff } from '../lifecycle/lifecycle-policy';
import { NOMINATIVE_TYPES, SHARED_TYPES } from '../../domain/mailbox-vocabulary';
import type { AddressRow, MailboxRow } from '../mailboxes';
import type { LoaduserExportRow } from '../loaduser-sheet';
import { findStructure } from '../structures';
import {
  currentBoxes,
  deletedOrDueBoxes,
  selectExportBatch,
  selectLatestAddresses,
  selectLinkEmails,
  type ExportKey,
} from './exports.repository';

/** Rows read from the database per query while an export streams. */
export const EXPORT_BATCH_SIZE = 1000;

export type ExportKind = 'current' | 'deleted';

function toExportRow(
  box: MailboxRow,
  address: AddressRow | undefined,
  links: { delegates?: string[]; accounts?: string[] },
): LoaduserExportRow {
  const responsible = box.responsible;
  return {
    email: box.email,
    lastName: box.lastName,
    firstName: box.firstName,
    rpps: box.rpps,
    address: box.address,
    organisationName: box.organisationName,
    service: box.service,
    postalCode: box.postalCode,
    city: box.city,
    phone: box.phone,
    civility: box.civility,
    adeli: box.adeli,
    profession: box.profession,
    professionCategory: box.professionCategory,
    specialty: box.specialty,
    expiresAt: box.expiresAt,
    isTest: box.isTest,
    // The stored choice, not the effective value: an empty cell re-imports as "keep the default".
    directoryVisible: box.directoryVisible,
    type: box.type,
    description: box.description,
    responsibleLastName: responsible?.lastName,
    responsibleFirstName: responsible?.firstName,
    responsibleProfession: responsible?.profession,
    responsibleRpps: responsible?.rpps,
    responsibleAdeli: responsible?.adeli,
    paperless: box.paperless,
    mailboxPhone: box.mailboxPhone,
    delegates: links.delegates,
    correspondenceLocalPart: address?.localPart,
    correspondenceDomain: address?.domain,
    status: box.status,
    lastActivityAt: box.lastActivityAt,
    id: box.id,
    connectionAccounts: links.accounts,
  };
}

/**
 * The structure's boxes in the loaduser layout, read in keyset batches: nominative boxes first,
 * then shared ones, each by name, so that connection accounts (AH) always name rows above them
 * and the file can be imported into an empty structure as it is. Deleted and soon-deleted boxes
 * carry their lifecycle dates (columns AI..AK).
 */
async function* exportRows(
  deps: ServiceDependencies,
  structureId: string,
  kind: ExportKind,
  lifecycle: LifecycleConfig,
): AsyncGenerator<LoaduserExportRow> {
  const now = deps.clock.now();
  const condition =
    kind === 'current'
      ? currentBoxes()
      : deletedOrDueBoxes(retentionCutoff(now, lifecycle), warningCutoff(now, lifecycle));
  for (const types of [NOMINATIVE_TYPES, SHARED_TYPES]) {
    let after: ExportKey | undefined;
    for (;;) {
      const boxes = await selectExportBatch(deps.db, {
        structureId,
        condition,
        types,
        after,
        limit: EXPORT_BATCH_SIZE,
      });
      const ids = boxes.map((box) => box.id);
      const addresses = await selectLatestAddresses(deps.db, ids);
      const { delegatesOf, accountsOf } = await selectLinkEmails(deps.db, ids);
      for (const box of boxes) {
        // A box in use shows its active address only; a deleted one the address it held last.
        const address = addresses.get(box.id);
        const shown = box.status === 'deleted' || address?.withdrawnAt === null ? address : undefined;
        const row = toExportRow(box, shown, { delegates: delegatesOf.get(box.id), accounts: accountsOf.get(box.id) });
        yield kind === 'deleted' ? { ...row, ...lifecycleDatesOf(box, lifecycle) } : row;
      }
      const last = boxes[boxes.length - 1];
      if (!last || boxes.length < EXPORT_BATCH_SIZE) break;
      after = [last.lastNameKey, last.firstNameKey, last.id];
    }
  }
}

/**
 * Opens an export after checking access and the structure; the first batch is read before the
 * answer starts, so that a failure there is a proper problem rather than a cut download.
 */
export async function openMailboxExport(
  deps: ServiceDependencies,
  context: RequestContext,
  structureId: string,
  kind: ExportKind,
  lifecycle: LifecycleConfig,
): Promise<AsyncIterable<LoaduserExportRow>> {
  if (!(await findStructure(deps.db, structureId))) throw new AppError('NOT_FOUND', 'Structure not found');
  return primeRows(exportRows(deps, structureId, kind, lifecycle));
}
