// The documents a server holds open, with the text and version baton last sent: opened when a call
// asks about a file, changed when its text differs, closed least recently used first past a limit
// (pinned documents, which keep a project loaded, stay), and closed when the file changes on disk.
import { DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import type { LspClient } from './lsp-client.ts';

/** Documents a server keeps open at once; the least recently used is closed past this. */
export const MAX_OPEN_DOCUMENTS = 64;

interface OpenDocument {
  version: number;
  text: string;
  pinned: boolean;
  /** client.publicationSeq when this text was sent: publications after it are about this text. */
  sentAtSeq: number;
}

export interface SyncResult {
  version: number;
  /** Whether anything was sent (false: the server already had this text). */
  sent: boolean;
  sentAtSeq: number;
}

export class OpenDocuments {
  private readonly documents = new Map<string, OpenDocument>();
  private readonly client: LspClient;
  private readonly uriOf: (rel: string) => string;
  private readonly languageIdOf: (rel: string) => string;

  constructor(options: { client: LspClient; uriOf: (rel: string) => string; languageIdOf: (rel: string) => string }) {
    this.client = options.client;
    this.uriOf = options.uriOf;
    this.languageIdOf = options.languageIdOf;
  }

  has(rel: string): boolean {
    return this.documents.has(rel);
  }

  sync(rel: string, text: string, options?: { pinned?: boolean }): SyncResult {
    const open = this.documents.get(rel);
    if (open) {
      // Most recently used last.
      this.documents.delete(rel);
      this.documents.set(rel, open);
      if (options?.pinned) open.pinned = true;
      if (open.text === text) return { version: open.version, sent: false, sentAtSeq: open.sentAtSeq };
      open.version++;
      open.text = text;
      open.sentAtSeq = this.client.publicationSeq;
      this.client.notify(DidChangeTextDocumentNotification.type, { textDocument: { uri: this.uriOf(rel), version: open.version }, contentChanges: [{ text }] });
      return { version: open.version, sent: true, sentAtSeq: open.sentAtSeq };
    }
    if (this.documents.size >= MAX_OPEN_DOCUMENTS) {
      const oldest = [...this.documents].find(([, doc]) => !doc.pinned)?.[0];
      if (oldest !== undefined) this.close(oldest);
    }
    const sentAtSeq = this.client.publicationSeq;
    this.documents.set(rel, { version: 1, text, pinned: options?.pinned === true, sentAtSeq });
    this.client.notify(DidOpenTextDocumentNotification.type, { textDocument: { uri: this.uriOf(rel), languageId: this.languageIdOf(rel), version: 1, text } });
    return { version: 1, sent: true, sentAtSeq };
  }

  /** Closes `rel` if open: the server reads it from disk again. */
  close(rel: string): void {
    if (!this.documents.delete(rel)) return;
    this.client.notify(DidCloseTextDocumentNotification.type, { textDocument: { uri: this.uriOf(rel) } });
  }
}
