// Safe XML parsing for B2C policy files, and the few DOM helpers the policy reader needs.
// Policies are operator input that may come from anywhere (a tenant export, a pull request), so
// any DTD is refused before parsing: no DOCTYPE means no entities, external or expanding.
import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';
import { PolicyError } from './profile.ts';

/** Every markup declaration, not only DOCTYPE: B2C policies never need one. */
const declaration = /^<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)\b/i;

function lineAtOffset(text: string, offset: number): number {
  return text.slice(0, offset).split(/\r\n|\r|\n/).length;
}

/** Throws if the text holds a DTD or entity declaration outside comments and CDATA sections. */
export function refuseDeclarations(text: string, file: string): void {
  let i = text.indexOf('<!');
  while (i !== -1) {
    let next = i + 2;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      next = end === -1 ? text.length : end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      next = end === -1 ? text.length : end + 3;
    } else {
      const match = declaration.exec(text.slice(i, i + 12));
      if (match) {
        throw new PolicyError(
          file,
          lineAtOffset(text, i),
          `!${match[1]!.toUpperCase()}`,
          'DOCTYPE and ENTITY declarations are refused in policy files (no DTDs, no external entities)',
        );
      }
    }
    i = text.indexOf('<!', next);
  }
}

/** Parses XML, turning any parser error or warning-as-error into a PolicyError with its line. */
export function parseXml(text: string, file: string): Document {
  refuseDeclarations(text, file);
  let first: { message: string; line: number | undefined } | undefined;
  const parser = new DOMParser({
    locator: true,
    onError(level, message, context: { locator?: { lineNumber?: number; columnNumber?: number } } | undefined) {
      if (level === 'warning') return;
      const at = context?.locator;
      first ??= { message, line: at?.lineNumber && endTagLine(text, message, at.lineNumber, at.columnNumber ?? 1) };
      throw new Error(message);
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(text, 'text/xml');
  } catch (e) {
    const line = first?.line ?? (e as { locator?: { lineNumber?: number } }).locator?.lineNumber;
    throw new PolicyError(file, line || undefined, undefined, `malformed XML: ${first?.message ?? (e as Error).message}`);
  }
  // Defence in depth: the scan above should make this unreachable.
  if (doc.doctype) throw new PolicyError(file, lineOf(doc.doctype), '!DOCTYPE', 'DOCTYPE declarations are refused');
  return doc;
}

/**
 * xmldom does not move its locator onto an end tag before checking it: a mismatched `</X>` is
 * reported at the text before it, often the line above. The tag is the next `<` from there.
 */
function endTagLine(text: string, message: string, line: number, column: number): number {
  if (!/ending tag mismatch|end tag/i.test(message)) return line;
  const lines = text.split(/\r\n|\r|\n/);
  let offset = column - 1;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
  const normalized = lines.join('\n');
  const tag = normalized.indexOf('<', offset);
  return tag === -1 ? line : normalized.slice(0, tag).split('\n').length;
}

export function lineOf(node: Node): number | undefined {
  return (node as Node & { lineNumber?: number }).lineNumber;
}

export function childElements(parent: Element | Document): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

export function child(parent: Element, localName: string): Element | undefined {
  return childElements(parent).find((e) => e.localName === localName);
}

export function children(parent: Element | undefined, localName: string): Element[] {
  return parent ? childElements(parent).filter((e) => e.localName === localName) : [];
}

/** Trimmed text of an element (CDATA included); undefined when the element is absent. */
export function textOf(el: Element | undefined): string | undefined {
  return el ? (el.textContent ?? '').trim() : undefined;
}

export function attr(el: Element, name: string): string | undefined {
  return el.hasAttribute(name) ? el.getAttribute(name)!.trim() : undefined;
}
