// Maps a key path (as zod reports it) back to the line of the YAML/JSON node it names, so a
// schema error points at the line to fix rather than at the file as a whole.
import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export class YamlLocator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  private lineAt(offset: number | undefined): number | undefined {
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }

  /**
   * The line of the deepest node along `path` that exists: a mapping entry gives its key's line
   * (where the name is written), a sequence item its own. A missing key gives its parent's line.
   */
  line(path: readonly PropertyKey[]): number | undefined {
    let node: unknown = this.doc.contents;
    let line = this.lineAt((node as Node | null)?.range?.[0]) ?? 1;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        line = this.lineAt((pair.key as Node).range?.[0]) ?? line;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)];
        if (item === undefined) break;
        line = this.lineAt((item as Node).range?.[0]) ?? line;
        node = item;
      } else {
        break;
      }
    }
    return line;
  }
}

/** `profiles.PhoneFactor-X.metadata.setting.autodial`, `profiles.X.inputClaims[1]`. */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}
