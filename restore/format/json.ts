/** `restore-preview --format json`, the contract in docs/cli.md, streamed from the spool. */
import type { PreviewReport } from "../preview";

export function* renderPreviewJson(report: PreviewReport): Generator<string> {
    const head = { backup: report.backup, veleroVersion: report.veleroVersion, summary: report.summary };
    yield JSON.stringify(head).slice(0, -1) + ',"objects":[';
    let first = true;
    for (const line of report.objects.lines()) {
        yield (first ? "\n" : ",\n") + line;
        first = false;
    }
    yield "\n]}\n";
}
