import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { exportEntries } from '../server/kb/export.js';
import { fail, openKbCli } from './kb-cli.js';

/** npm run kb:export -- <out.xlsx>: every entry (draft and published) in the import's columns. */
async function main(argv: string[]): Promise<number> {
  if (argv.length !== 1 || extname(argv[0]!).toLowerCase() !== '.xlsx') fail('用法：npm run kb:export -- <文件.xlsx>', 2);
  const path = resolve(argv[0]!);
  const cli = await openKbCli();
  try {
    const data = await exportEntries(cli.database.db);
    writeFileSync(path, data);
    process.stdout.write(`已导出到 ${path}\n`);
    return 0;
  } finally {
    await cli.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
