// The zod schema of Tollgate's native policy file (YAML or JSON). Its keys mirror the B2C
// custom-policy XML so that both formats mean the same thing; the PhoneFactor rules themselves
// (defaults, autodial limits, claim contract) live in profile-rules.ts and apply to both.
import { z } from 'zod';

const identifier = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .regex(/^[^/\s]+$/, { error: 'must not contain "/" or white space' });

const languageTag = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, { error: 'must be a language tag such as en or fr-CA' });

const claim = z.strictObject({
  claimTypeReferenceId: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  partnerClaimType: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
});

// B2C writes "true"/"false" as text; YAML users write booleans. Both reach profile-rules.ts.
const metadataValue = z.union([z.string(), z.boolean()], { error: 'must be a string or a boolean' });

const countryList = z.union(
  [z.record(z.string(), z.string({ error: 'country names must be strings' })), z.array(z.string())],
  { error: 'must be a map of ISO code → name or a list of ISO codes' },
);

const contentDefinition = z.strictObject({
  loadUri: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
  dataUri: z.string({ error: 'must be a string' }).optional(),
  stylesheets: z.array(z.string({ error: 'must be a string' }).min(1)).default([]),
  defaultLanguage: languageTag.default('en'),
  supportedLanguages: z.array(languageTag).default([]),
  countryList: countryList.optional(),
  strings: z.record(languageTag, z.record(z.string(), z.string({ error: 'must be a string' }))).default({}),
});

const profile = z.strictObject({
  displayName: z.string({ error: 'must be a string' }).optional(),
  metadata: z.record(z.string(), metadataValue).default({}),
  inputClaims: z.array(claim).default([]),
  outputClaims: z.array(claim).default([]),
});

export const nativePolicySchema = z.strictObject({
  policyId: identifier,
  contentDefinitions: z.record(identifier, contentDefinition).default({}),
  profiles: z.record(identifier, profile),
});

export type NativePolicy = z.infer<typeof nativePolicySchema>;
export type NativeContentDefinition = z.infer<typeof contentDefinition>;
export type NativeProfile = z.infer<typeof profile>;
