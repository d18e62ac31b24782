// Signed results for the calling app: ES256 JWTs, keys kept in the store, rotated on age, every key
// still in use published at /.well-known/jwks.json.
import { type JWK, SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, createLocalJWKSet, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import type { Clock, SigningKeyRecord, Store } from '../ports.ts';

const DAY = 86_400_000;

export interface ResultTokenOptions {
  /** The token issuer: Tollgate's public URL (resolved late: the port may be chosen at listen). */
  issuer: () => string;
  ttlSeconds: number;
  rotationDays: number;
  retentionDays: number;
}

export class ResultTokens {
  private cache: SigningKeyRecord[] | null = null;
  /** The imported signing key of the current record (importing a JWK costs more than signing). */
  private signingKey: { kid: string; key: CryptoKey | Uint8Array } | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: ResultTokenOptions,
  ) {}

  /** Makes a first key, or a new one when the newest is older than the rotation period. */
  async ensureCurrentKey(): Promise<SigningKeyRecord> {
    const now = this.clock.now();
    const keys = await this.keys();
    const active = keys.filter((k) => k.rotatedAt === null).at(-1);
    if (active && now - active.createdAt < this.options.rotationDays * DAY) return active;
    return this.rotate();
  }

  /** Retires the signing key now (it stays published for the retention period) and makes a new one. */
  async rotate(): Promise<SigningKeyRecord> {
    const now = this.clock.now();
    for (const k of await this.keys()) {
      if (k.rotatedAt === null) {
        await this.store.putSigningKey({ ...k, rotatedAt: now, retiredAt: now + this.options.retentionDays * DAY });
      }
    }
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = randomUUID();
    const record: SigningKeyRecord = {
      kid,
      privateJwk: JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' }),
      publicJwk: JSON.stringify({ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }),
      createdAt: now,
      rotatedAt: null,
      retiredAt: null,
    };
    await this.store.putSigningKey(record);
    this.cache = null;
    return record;
  }

  async sign(claims: JWTPayload & { sub: string; aud: string }): Promise<string> {
    const key = await this.ensureCurrentKey();
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    if (this.signingKey?.kid !== key.kid) {
      this.signingKey = { kid: key.kid, key: await importJWK(JSON.parse(key.privateJwk) as JWK, 'ES256') };
    }
    const privateKey = this.signingKey.key;
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
      .setIssuer(this.options.issuer())
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + this.options.ttlSeconds)
      .setJti(randomUUID())
      .sign(privateKey);
  }

  /** The public keys that may still have signed a live token. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const now = this.clock.now();
    const keys = (await this.keys()).filter((k) => k.retiredAt === null || k.retiredAt > now);
    return { keys: keys.map((k) => JSON.parse(k.publicJwk) as JWK) };
  }

  /** Verifies a result token as an app would (used by the demo app and tests). */
  async verify(token: string, audience: string): Promise<JWTPayload> {
    const set = createLocalJWKSet(await this.jwks());
    const { payload } = await jwtVerify(token, set, {
      issuer: this.options.issuer(),
      audience,
      currentDate: new Date(this.clock.now()),
    });
    return payload;
  }

  private async keys(): Promise<SigningKeyRecord[]> {
    this.cache ??= await this.store.listSigningKeys();
    return this.cache;
  }

  /** Forget cached keys (another instance may have rotated). */
  invalidate(): void {
    this.cache = null;
  }
}
