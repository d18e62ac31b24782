// The enrollment QR code: the otpauth:// URI as an SVG data URL, so the page shows it in an <img>
// without a second request (which would need the secret in a URL) or any script.
import QRCode from 'qrcode';

/**
 * `data:image/svg+xml;base64,…` of the URI. Error correction M and a 4-module quiet zone: what
 * phone cameras read reliably off a screen.
 */
export async function qrSvgDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
