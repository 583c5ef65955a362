/**
 * The work a service has started and lets finish on shutdown (the database closes right after the
 * plugins' destroy): `stopping` tells the service to start no more, `shutdown` waits for what runs.
 */
export const createInFlight = () => {
  const running = new Set<Promise<unknown>>();
  let stopping = false;
  return {
    get stopping() {
      return stopping;
    },

    /** Counts `work` in until it ends, whether it succeeds or fails; returns it unchanged. */
    track<T>(work: Promise<T>): Promise<T> {
      running.add(work);
      const done = () => void running.delete(work);
      work.then(done, done);
      return work;
    },

    /** From now on `stopping`; waits for the work in flight, at most `graceMs`. */
    async shutdown(graceMs: number) {
      stopping = true;
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise((resolve) => (timer = setTimeout(resolve, graceMs).unref()));
      await Promise.race([Promise.allSettled([...running]), grace]);
      clearTimeout(timer);
    },
  };
};
