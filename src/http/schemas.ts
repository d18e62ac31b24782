// Request bodies of the JSON API, declared once: validated here and published in /openapi.json.
import { z } from 'zod';

const e164ish = z.string().min(3).max(40);
const channel = z.enum(['sms', 'voice', 'email']);
const clientSchema = z
  .object({ ip: z.string().max(64).nullable().optional(), userAgent: z.string().max(1024).nullable().optional() })
  .strict();

export const createSessionBody = z
  .object({
    profile: z.string().min(1).max(200).describe('Profile id (`PhoneFactor-InputOrVerify`) or `PolicyId/ProfileId`.'),
    userId: z.string().min(1).max(256).optional().describe('The UserId claim: unique per user, no personal data.'),
    phoneNumbers: z.array(e164ish).max(10).optional().describe('Numbers on file, E.164; none = enroll, one = verify, several = user chooses.'),
    inputClaims: z.record(z.string().max(200), z.string().max(256)).optional()
      .describe('Alternative to userId/phoneNumbers: input claims by ClaimTypeReferenceId or PartnerClaimType.'),
    returnUrl: z.string().max(2048).optional().describe("Where the hosted page sends the browser; must be on the app's allowlist."),
    locale: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/).optional(),
    nonce: z.string().min(1).max(256).optional(),
    client: clientSchema.optional().describe("The end user's IP and user agent as seen by the app."),
  })
  .strict();

export const sendBody = z
  .object({
    phoneNumber: e164ish.optional(),
    country: z.string().regex(/^[A-Za-z]{2}$/).optional().describe('ISO region for a national-format phoneNumber.'),
    phoneIndex: z.number().int().min(0).max(9).optional(),
    channel: channel.describe('`email` sends the code to `email` (the profile must offer email, or a refused phone send must have unlocked it).'),
    email: z.string().min(1).max(320).optional().describe('With channel `email`: the address; omit it to resend to the address already used.'),
    captcha: z.string().min(1).max(8192).optional().describe('CAPTCHA solution token, when the previous answer was `captcha_required`.'),
    client: clientSchema.optional().describe('Honoured only with the app API key.'),
  })
  .strict()
  .refine((b) => (b.channel === 'email' ? b.phoneNumber === undefined && b.phoneIndex === undefined && b.country === undefined : b.email === undefined), {
    message: '`email` goes with channel email only; phoneNumber, phoneIndex and country with sms or voice only',
  });

export const totpSessionBody = z
  .object({
    code: z.string().min(1).max(32).optional().describe('The current code of the authenticator app.'),
    recoveryCode: z.string().min(1).max(64).optional().describe('One of the recovery codes, instead of `code` (each works once).'),
    client: clientSchema.optional(),
  })
  .strict()
  .refine((b) => (b.code === undefined) !== (b.recoveryCode === undefined), { message: 'give exactly one of code or recoveryCode' });

export const totpEnrollmentBody = z
  .object({
    userId: z.string().min(1).max(256).describe('The UserId claim of the user enrolling.'),
    label: z.string().min(1).max(64).optional().describe('Account name shown in the app (a masked email or username, never an internal id); default `account`.'),
  })
  .strict();

export const totpConfirmBody = z.object({ code: z.string().min(1).max(32).describe('The first code the app shows.') }).strict();

export const verifyBody = z
  .object({ code: z.string().min(1).max(20), client: clientSchema.optional() })
  .strict();

export const verificationBody = z
  .object({
    to: e164ish,
    channel: z.enum(['sms', 'voice', 'call']).default('sms').describe('`call` is accepted as an alias of `voice`.'),
    locale: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/).optional(),
    userId: z.string().min(1).max(256).optional(),
    client: clientSchema.optional(),
  })
  .strict();

export const verificationCheckBody = z
  .object({ to: e164ish, code: z.string().min(1).max(20), client: clientSchema.optional() })
  .strict();

export const clockBody = z
  .object({ advanceMs: z.number().min(0).max(400 * 86_400_000).optional(), now: z.iso.datetime({ offset: true }).optional() })
  .strict()
  .refine((b) => (b.advanceMs === undefined) !== (b.now === undefined), 'give exactly one of advanceMs or now');
