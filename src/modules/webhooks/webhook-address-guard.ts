import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { promises as dns } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { AppError } from '../../domain/errors/error-catalogue';

/** What the server-side request forgery guard lets through (`BALISE_WEBHOOKS_ALLOW_*`). */
export interface WebhookAddressPolicy {
  readonly allowHttp: boolean;
  readonly allowPrivate: boolean;
}

/**
 * Only public unicast space: ipaddr.js names every other range (loopback, private, link-local —
 * which holds the cloud metadata address 169.254.169.254 —, unique-local, carrier-grade NAT,
 * multicast, reserved…). An IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

export class WebhookAddressRefusedError extends Error {
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, which is not a public address`);
    this.name = 'WebhookAddressRefusedError';
  }
}

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

function refuse(code: string, message: string): never {
  throw new AppError('BUSINESS_RULE_VIOLATED', message, [{ field: 'url', code, message }]);
}

/**
 * The URL checks made when an endpoint is registered or changed, with problems naming `url`.
 * Delivery checks the address again on every connection (`guardedLookup`): a name may resolve
 * elsewhere later (DNS rebinding), so this check alone would not be enough.
 */
export async function assertWebhookUrlAllowed(raw: string, policy: WebhookAddressPolicy): Promise<void> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('URL_INVALID', 'The URL does not parse');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp))
    refuse('URL_SCHEME_REFUSED', policy.allowHttp ? 'Use an http or https URL' : 'Use an https URL');
  if (url.username || url.password)
    refuse('URL_CREDENTIALS_REFUSED', 'Credentials do not belong in the URL: verify the signature instead');
  if (url.hash) refuse('URL_FRAGMENT_REFUSED', 'A fragment is never sent: remove it');
  if (policy.allowPrivate) return;
  const host = hostOf(url);
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : (await dns.lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    return refuse('URL_UNRESOLVABLE', `The host ${host} does not resolve`);
  }
  const refused = addresses.find((address) => !isPublicAddress(address));
  if (refused !== undefined)
    refuse(
      'URL_ADDRESS_REFUSED',
      `The host resolves to ${refused}, a loopback, private, link-local or reserved address (BALISE_WEBHOOKS_ALLOW_PRIVATE allows it)`,
    );
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The `lookup` of the delivery agents: resolves the name, refuses the connection when any address
 * is not public, and hands the socket exactly the addresses it checked, so the connection goes
 * where the check looked (no second resolution a rebinding DNS server could answer differently).
 * Node.js calls it with `all: true` when it tries several addresses (autoSelectFamily).
 */
export function guardedLookup(policy: WebhookAddressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = policy.allowPrivate ? undefined : addresses.find((entry) => !isPublicAddress(entry.address));
      if (refused) return callback(new WebhookAddressRefusedError(hostname, refused.address), []);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} resolves to no address`), []);
      if (options.all) return callback(null, addresses);
      return callback(null, first.address, first.family);
    });
  };
}

/** A literal address in the URL never reaches `lookup` (Node.js connects to it directly): checked here. */
export function literalAddressRefusal(url: URL, policy: WebhookAddressPolicy): string | undefined {
  const host = hostOf(url);
  if (policy.allowPrivate || !ipaddr.isValid(host) || isPublicAddress(host)) return undefined;
  return `${host} is not a public address`;
}
