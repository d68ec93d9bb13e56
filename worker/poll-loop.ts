// A background loop that runs a pass, waits, and runs it again until stopped: the inbox dispatcher and the process
// starter. A pass that says it is busy runs again at once; `wake()` cuts a wait short, and one that comes while a
// pass runs is remembered (a wake-up is never lost); a failed pass is logged and the loop goes on.
export interface PollLoop {
  start(): void;
  wake(): void;
  stop(): Promise<void>;
}

export function createPollLoop(options: { pass: () => Promise<boolean>; pollMs: number; onError: (err: unknown) => void }): PollLoop {
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let wakePending = false;
  return {
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          let busy = false;
          try {
            busy = await options.pass();
          } catch (err) {
            options.onError(err);
          }
          if (!busy && running && !wakePending) await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.pollMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
          wakePending = false;
        }
      })();
    },
    wake() {
      if (wake) wake();
      else wakePending = true;
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
