/** Bounds how many tasks run at once; the others wait in arrival order. */
export class Semaphore {
  #free: number;
  #waiting: (() => void)[] = [];

  constructor(capacity: number) {
    this.#free = capacity;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A released slot is not handed to a waiter: in a Worker, a waiter whose request has since been
    // cancelled never resumes, and the slot would be lost to the isolate. Woken waiters re-check instead.
    while (this.#free === 0) await new Promise<void>((wake) => this.#waiting.push(wake));
    this.#free -= 1;
    try {
      return await task();
    } finally {
      this.#free += 1;
      const woken = this.#waiting;
      this.#waiting = [];
      for (const wake of woken) wake();
    }
  }
}
