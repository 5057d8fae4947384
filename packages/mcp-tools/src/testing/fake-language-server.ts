// A language server for tests, speaking real LSP over stdio: it answers requests from a JSON
// script (so a test can make it claim anything — paths outside the workspace, names a file does
// not contain) and misbehaves on demand: exits, never answers, or grows its memory.
//
//   node fake-language-server.ts <script.json>
//   script: { "answers": { "<method>": <result> }, "crash": ["<method>"], "hang": ["<method>"],
//             "spin": ["<method>"], "grow": ["<method>"], "publish": [<diagnostic>] }
//   ("${ROOT}" in answers becomes the root URI)
// hang: never answers and uses no CPU; spin: never answers and keeps a CPU busy; publish: offer no
// pull diagnostics, and after each didOpen/didChange publish first nothing for the document's
// previous version (a stale report), then, 1.5 s later (longer than a client waits for quiet), these for the current one.
import { readFileSync } from 'node:fs';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

interface FakeScript {
  answers?: Record<string, unknown>;
  crash?: string[];
  hang?: string[];
  spin?: string[];
  grow?: string[];
  publish?: unknown[];
}

const script = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as FakeScript;
const connection = createMessageConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
let rootUri = '';
const held: Buffer[] = [];

connection.onRequest((method: string, params: unknown) => {
  if (method === 'initialize') {
    rootUri = String((params as { rootUri?: unknown }).rootUri ?? '');
    const pull = script.publish ? {} : { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } };
    return { capabilities: { definitionProvider: true, referencesProvider: true, documentSymbolProvider: true, workspaceSymbolProvider: true, textDocumentSync: 1, ...pull } };
  }
  if (method === 'shutdown') return null;
  if (script.crash?.includes(method)) process.exit(3);
  if (script.hang?.includes(method)) return new Promise(() => {});
  if (script.spin?.includes(method)) for (;;);
  if (script.grow?.includes(method)) {
    // Touch every page so the memory is resident, then never answer.
    for (let i = 0; i < 64; i++) held.push(Buffer.alloc(8 * 1024 * 1024, i));
    return new Promise(() => {});
  }
  const answer = script.answers?.[method];
  return answer === undefined ? null : JSON.parse(JSON.stringify(answer).replaceAll('${ROOT}', rootUri));
});
connection.onNotification((method: string, params: unknown) => {
  if (method === 'exit') process.exit(0);
  if (!script.publish || (method !== 'textDocument/didOpen' && method !== 'textDocument/didChange')) return;
  const { uri, version } = (params as { textDocument: { uri: string; version: number } }).textDocument;
  const publish = (diagnostics: unknown[], of: number) => void connection.sendNotification('textDocument/publishDiagnostics', { uri, version: of, diagnostics });
  publish([], version - 1);
  setTimeout(() => publish(script.publish!, version), 1_500);
});
connection.onClose(() => process.exit(0));
connection.listen();
