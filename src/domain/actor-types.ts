/**
 * Who the audit trail and the event feed say made a change: an API key, a person (an administrator
 * signed in with OpenID Connect, named by national identifier or e-mail), the system (jobs,
 * sweeps), or someone registering through a public sign-up link.
 */
export const ACTOR_TYPES = ['api_key', 'person', 'system', 'registration'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];
