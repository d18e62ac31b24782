// Hosting / datacenter networks: traffic from them is challenged (never blocked on this alone),
// because people browse from homes and phones, while bots run on rented servers. No maintained
// open dataset ships on npm, so the project keeps this list (ASNs checked against the organisation
// names in @ip-location-db/asn) plus organisation-name keywords that catch the long tail.
// Deliberately absent: consumer privacy relays such as Apple iCloud Private Relay (AS36183), whose
// users are ordinary iPhone owners; an operator who wants them challenged lists the ASN.

export const hostingAsns: ReadonlyMap<number, string> = new Map([
  // Hyperscale clouds
  [16509, 'Amazon Web Services'], [14618, 'Amazon Web Services'], [8987, 'Amazon Web Services (Ireland)'],
  [15169, 'Google'], [396982, 'Google Cloud'], [19527, 'Google'],
  [8075, 'Microsoft Azure'], [8068, 'Microsoft'],
  [31898, 'Oracle Cloud'],
  [45102, 'Alibaba Cloud'], [37963, 'Alibaba Cloud (Hangzhou)'],
  [132203, 'Tencent Cloud'], [45090, 'Tencent Cloud (Shenzhen)'],
  [136907, 'Huawei Cloud'], [55990, 'Huawei Cloud'],
  // Developer clouds and VPS hosts
  [14061, 'DigitalOcean'], [393406, 'DigitalOcean'],
  [24940, 'Hetzner'], [213230, 'Hetzner Cloud'], [212317, 'Hetzner Cloud (US)'],
  [16276, 'OVHcloud'], [35540, 'OVHcloud'],
  [63949, 'Linode / Akamai Cloud'],
  [20473, 'Vultr (The Constant Company)'],
  [51167, 'Contabo'], [40021, 'Contabo (US)'],
  [12876, 'Scaleway'],
  [60781, 'Leaseweb (NL)'], [16265, 'Leaseweb'], [28753, 'Leaseweb (DE)'],
  [197540, 'netcup'], [8560, 'IONOS'], [47583, 'Hostinger'],
  [9009, 'M247'], [53667, 'FranTech / BuyVM'], [40676, 'Psychz Networks'], [29802, 'HIVELOCITY'],
  [19318, 'Interserver'], [396356, 'Latitude.sh'], [25820, 'IT7 Networks'], [35916, 'MULTACOM'],
  [36352, 'HostPapa / ColoCrossing'], [32244, 'Liquid Web'], [22612, 'Namecheap'],
  [26496, 'GoDaddy'], [398101, 'GoDaddy'], [46606, 'Unified Layer'], [30083, 'velia.net'],
  // Edge / serverless egress (Cloudflare Workers also leave from here, as does the WARP VPN)
  [13335, 'Cloudflare'], [20940, 'Akamai'], [54113, 'Fastly'],
]);

/** Organisation-name words that mean a hosting business ("… Hosting Ltd", "… Cloud", "… Data Center"). */
export const hostingOrgPattern = /\b(?:hosting|cloud|data ?cent(?:er|re)s?|datacent(?:er|re)s?|servers?|vps|colocation)\b/i;

/** True for a listed hosting ASN, or an AS organisation whose name says hosting. */
export function isHostingNetwork(asn: number | null, organization: string | null): boolean {
  if (asn !== null && hostingAsns.has(asn)) return true;
  return organization !== null && hostingOrgPattern.test(organization);
}
