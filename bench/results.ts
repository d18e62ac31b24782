// Writes one section of bench/RESULTS.md (replacing the previous run's), with the date, the
// machine and the command, so results stay next to how they were produced.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

const file = new URL('./RESULTS.md', import.meta.url).pathname;

export function writeSection(title: string, body: string, command: string): void {
  const header = `## ${title}`;
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const section = `${header}\n\nRun ${new Date().toISOString().slice(0, 10)} on ${machine} with \`${command}\`.\n\n${body}\n`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\nEach section is rewritten by its benchmark. Ratios are against a baseline measured in the same run (the machines are shared and noisy).\n';
  const start = text.indexOf(`${header}\n`);
  if (start >= 0) {
    const next = text.indexOf('\n## ', start + header.length);
    text = text.slice(0, start) + section + (next >= 0 ? `\n${text.slice(next + 1)}` : '');
  } else {
    text = `${text.trimEnd()}\n\n${section}`;
  }
  writeFileSync(file, text);
}
