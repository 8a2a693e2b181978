import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { AppError } from '../server/http/errors.js';
import { importEntries, type ImportReport } from '../server/kb/import.js';
import { fail, openKbCli } from './kb-cli.js';

/**
 * npm run kb:import -- <file.xlsx|file.csv> [--publish]
 * Imports FAQ entries (drafts unless --publish) with a progress bar and prints the report.
 * Exit code: 0 when every row went in, 1 when some rows were rejected or the file was refused,
 * 2 on bad arguments or configuration, 3 when the data folder belongs to a running server.
 */
const USAGE = '用法：npm run kb:import -- <文件.xlsx|文件.csv> [--publish]';

async function main(argv: string[]): Promise<number> {
  const publish = argv.includes('--publish');
  const files = argv.filter((a) => !a.startsWith('--'));
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--publish');
  if (files.length !== 1 || unknown.length) fail(USAGE, 2);
  const path = resolve(files[0]!);
  const ext = extname(path).toLowerCase();
  if (ext !== '.xlsx' && ext !== '.csv') fail(`只支持 .xlsx 和 .csv 文件：${path}`, 2);
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (err) {
    fail(`无法读取文件 ${path}：${(err as Error).message}`, 2);
  }

  const cli = await openKbCli();
  const bar = new cliProgress.SingleBar(
    { format: '导入 [{bar}] {percentage}% | {value}/{total} 行', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  try {
    const report = await importEntries({ db: cli.database.db, bus: cli.bus }, data, {
      format: ext === '.xlsx' ? 'xlsx' : 'csv',
      publish,
      onProgress: (done, total) => {
        if (!started) {
          bar.start(total, done);
          started = true;
        } else bar.update(done);
      },
    });
    if (started) bar.stop();
    process.stdout.write(formatReport(report, cli.database.location));
    return report.rejected.length ? 1 : 0;
  } catch (err) {
    if (started) bar.stop();
    if (err instanceof AppError && err.expose) {
      process.stderr.write(`导入失败：${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await cli.close();
  }
}

export function formatReport(r: ImportReport, where: string): string {
  const lines = [
    `数据行 ${r.total}，导入 ${r.imported}（${r.status === 'published' ? '已发布' : '草稿，需在管理台发布'}），拒绝 ${r.rejected.length}。`,
    `数据库：${where}`,
  ];
  if (r.rejected.length) {
    lines.push('被拒绝的行：');
    for (const x of r.rejected) lines.push(`  第 ${x.row} 行：${x.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
