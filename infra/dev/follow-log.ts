import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

/** Prints what is appended to `file`, each line prefixed, until the returned function is called. */
export function followLog(file: string, prefix: string): () => void {
  let offset = existsSync(file) ? statSync(file).size : 0;
  let partial = '';
  const read = () => {
    if (!existsSync(file)) return;
    const size = statSync(file).size;
    if (size < offset) offset = 0;
    if (size === offset) return;
    const buffer = Buffer.alloc(size - offset);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, offset);
    } finally {
      closeSync(fd);
    }
    offset = size;
    const lines = (partial + buffer.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
  };
  const timer = setInterval(read, 250);
  return () => {
    clearInterval(timer);
    read();
  };
}
