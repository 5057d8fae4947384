// Keeps a command's output within a byte budget: the head and the tail, with a note of how
// much was dropped in between (failures are usually reported at the end).
export class CappedOutput {
  readonly #limit: number;
  readonly #head: Buffer[] = [];
  #headBytes = 0;
  #tail: Buffer = Buffer.alloc(0);
  #total = 0;

  constructor(limitBytes: number) {
    this.#limit = Math.max(256, limitBytes);
  }

  push(chunk: Buffer): void {
    this.#total += chunk.length;
    const headRoom = Math.floor(this.#limit * 0.4) - this.#headBytes;
    if (headRoom > 0) {
      const part = chunk.subarray(0, headRoom);
      this.#head.push(part);
      this.#headBytes += part.length;
      chunk = chunk.subarray(part.length);
    }
    if (chunk.length === 0) return;
    const tailLimit = this.#limit - Math.floor(this.#limit * 0.4);
    const joined = Buffer.concat([this.#tail, chunk]);
    this.#tail = joined.length > tailLimit ? joined.subarray(joined.length - tailLimit) : joined;
  }

  get totalBytes(): number {
    return this.#total;
  }

  get truncated(): boolean {
    return this.#total > this.#headBytes + this.#tail.length;
  }

  text(): string {
    const head = Buffer.concat(this.#head).toString('utf8');
    const tail = this.#tail.toString('utf8');
    if (!this.truncated) return head + tail;
    const dropped = this.#total - this.#headBytes - this.#tail.length;
    return `${head}\n… [${dropped} bytes of output omitted] …\n${tail}`;
  }
}
