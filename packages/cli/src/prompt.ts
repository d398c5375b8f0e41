import readline from 'readline';

let stdinLines: string[] | null = null;

/** Everything piped on stdin, split in lines (read once, on first use). */
async function pipedLines(): Promise<string[]> {
  if (stdinLines) return stdinLines;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  stdinLines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  return stdinLines;
}

/** The next line of piped stdin; undefined at the end. */
export async function nextStdinLine(): Promise<string | undefined> {
  const lines = await pipedLines();
  while (lines.length > 0) {
    const line = lines.shift()!;
    if (line !== '' || lines.length > 0) return line;
  }
  return undefined;
}

export const stdinIsTTY = () => Boolean(process.stdin.isTTY);

/** Asks on the terminal (stderr), or reads the next stdin line when stdin is not a terminal. */
export async function ask(question: string, hidden = false): Promise<string> {
  if (!stdinIsTTY()) {
    const line = await nextStdinLine();
    return line ?? '';
  }
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    let muted = false;
    // readline echoes through _writeToOutput: with `hidden`, nothing typed reaches the terminal.
    const r = rl as unknown as { _writeToOutput: (s: string) => void };
    const original = r._writeToOutput.bind(rl);
    r._writeToOutput = (s: string) => {
      if (!muted) original(s);
    };
    rl.question(question, (answer) => {
      if (hidden) process.stderr.write('\n');
      rl.close();
      resolve(answer);
    });
    muted = hidden;
    rl.on('SIGINT', () => {
      rl.close();
      reject(new Error('interrupted'));
    });
  });
}

/** A yes/no confirmation; refuses (false) without a terminal unless the answer is piped in. */
export async function confirm(question: string): Promise<boolean> {
  const answer = (await ask(`${question} [y/N] `)).trim().toLowerCase();
  return answer === 'y' || answer === 'yes';
}
