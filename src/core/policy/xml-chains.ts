// Resolves B2C policy inheritance across a set of files: links each file to its BasePolicy,
// refuses missing bases and cycles, and merges every chain (base → extensions → relying party)
// into one ResolvedPolicy per leaf. The leaf is what an app names, as in B2C, so its PolicyId is
// the profiles' policyId.
import type { ContentDefinition } from './profile.ts';
import type { ContentDefinitionLookup } from './profile-rules.ts';
import { type Problems, sourceOf } from './problems.ts';
import type { RawProfile, ResolvedPolicy } from './raw-profile.ts';
import { buildXmlContentDefinition } from './xml-content.ts';
import { mergeLayers } from './xml-merge.ts';
import { isPhoneFactorHandler, type XmlLayer, type XmlPolicyFile } from './xml-model.ts';

const emptyLayer: XmlLayer = { technicalProfiles: new Map(), contentDefinitions: new Map(), localizedResources: new Map() };

export function resolveXmlPolicies(files: XmlPolicyFile[], problems: Problems): ResolvedPolicy[] {
  const byId = new Map<string, XmlPolicyFile>();
  for (const f of files) {
    const other = byId.get(f.policyId);
    if (other) problems.error(f.at, `PolicyId ${f.policyId} is also used by ${sourceOf(other.at)}`);
    else byId.set(f.policyId, f);
  }

  const chains = new Map<XmlPolicyFile, XmlPolicyFile[]>();
  for (const f of byId.values()) {
    const chain = chainOf(f, byId, problems);
    if (chain) chains.set(f, chain);
  }
  const bases = new Set([...byId.values()].map((f) => f.basePolicy?.policyId).filter((id) => id !== undefined));
  const resolved: ResolvedPolicy[] = [];
  for (const [leaf, chain] of chains) {
    if (bases.has(leaf.policyId)) continue;
    resolved.push(resolveChain(chain, problems));
  }
  return resolved;
}

/** The files from the root base down to `leaf`, or null (with the error recorded) when broken. */
function chainOf(leaf: XmlPolicyFile, byId: Map<string, XmlPolicyFile>, problems: Problems): XmlPolicyFile[] | null {
  const upwards: XmlPolicyFile[] = [leaf];
  let current = leaf;
  while (current.basePolicy) {
    const ref = current.basePolicy;
    const base = byId.get(ref.policyId);
    if (!base) {
      // Reported once, by the file that names the missing base; its descendants just stop here.
      if (current === leaf) {
        problems.error(ref.at, `base policy ${ref.policyId} is not among the loaded files (loaded: ${[...byId.keys()].join(', ')})`);
      }
      return null;
    }
    const k = upwards.indexOf(base);
    if (k !== -1) {
      // Reported once per cycle: by the member with the smallest PolicyId.
      const members = upwards.slice(k);
      if (k === 0 && members.every((m) => m.policyId >= leaf.policyId)) {
        problems.error(leaf.basePolicy!.at, `policy inheritance cycle: ${[...members, base].map((f) => f.policyId).join(' → ')}`);
      }
      return null;
    }
    if (ref.tenantId && base.tenantId && ref.tenantId !== base.tenantId) {
      problems.warn(ref.at, `BasePolicy TenantId ${ref.tenantId} differs from ${base.policyId}'s TenantId ${base.tenantId}`);
    }
    upwards.push(base);
    current = base;
  }
  return upwards.reverse();
}

function resolveChain(chain: XmlPolicyFile[], problems: Problems): ResolvedPolicy {
  const leaf = chain[chain.length - 1]!;
  const layer = chain.reduce<XmlLayer>((parent, file) => mergeLayers(parent, file), emptyLayer);
  const profiles: RawProfile[] = [];
  for (const tp of layer.technicalProfiles.values()) {
    if (!isPhoneFactorHandler(tp.protocol?.handler)) continue;
    if (tp.protocol?.name !== 'Proprietary') {
      problems.error(tp.protocol!.at, `the PhoneFactor protocol needs Name="Proprietary", not "${tp.protocol?.name ?? ''}"`);
      continue;
    }
    for (const u of tp.unknown) problems.warn(u, `${u.element} is not used by Tollgate's PhoneFactor profile; ignored`);
    profiles.push({
      ...tp.at,
      id: tp.id,
      ...(tp.displayName ? { displayName: tp.displayName.value } : {}),
      policyId: leaf.policyId,
      metadata: tp.metadata,
      inputClaims: tp.inputClaims ?? [],
      outputClaims: tp.outputClaims ?? [],
    });
  }
  return {
    policyId: leaf.policyId,
    at: leaf.at,
    files: chain.map((f) => f.file),
    profiles,
    contentDefinitions: lazyContentDefinitions(layer, problems),
  };
}

/** Builds only the content definitions a profile asks for, each once. */
function lazyContentDefinitions(layer: XmlLayer, problems: Problems): ContentDefinitionLookup {
  const built = new Map<string, ContentDefinition | undefined>();
  return {
    has: (id) => layer.contentDefinitions.has(id),
    keys: () => layer.contentDefinitions.keys(),
    get(id) {
      if (!built.has(id)) {
        const cd = layer.contentDefinitions.get(id);
        const before = problems.errors.length;
        const result = cd ? buildXmlContentDefinition(cd, layer, problems) : undefined;
        built.set(id, problems.errors.length > before ? undefined : result);
      }
      return built.get(id);
    },
  };
}
