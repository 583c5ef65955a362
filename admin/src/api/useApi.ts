import { useCallback, useEffect, useRef, useState } from 'react';
import { useFetchClient, type FetchClient } from '@strapi/strapi/admin';

export interface QueryResult<T> {
  data: T | undefined;
  error: unknown;
  isLoading: boolean;
  refetch: () => void;
}

/**
 * Loads `load(client)` whenever `key` changes (or on `refetch`), keeping the previous data on
 * screen while the next page loads. Answers to superseded requests are ignored.
 */
export const useApiQuery = <T>(
  key: string,
  load: (client: FetchClient) => Promise<T>,
  enabled = true
): QueryResult<T> => {
  const client = useFetchClient();
  const loadRef = useRef(load);
  loadRef.current = load;
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ data?: T; error?: unknown; isLoading: boolean }>({
    isLoading: enabled,
  });

  useEffect(() => {
    if (!enabled) {
      setState({ isLoading: false });
      return undefined;
    }
    let current = true;
    setState((previous) => ({ data: previous.data, isLoading: true }));
    loadRef.current(client).then(
      (data) => current && setState({ data, isLoading: false }),
      (error: unknown) =>
        current && setState((previous) => ({ data: previous.data, error, isLoading: false }))
    );
    return () => {
      current = false;
    };
  }, [client, key, version, enabled]);

  const refetch = useCallback(() => setVersion((value) => value + 1), []);
  return { data: state.data, error: state.error, isLoading: state.isLoading, refetch };
};

/** A write: `mutate(vars)` resolves with the reply or rejects with the FetchError. */
export const useApiMutation = <V, R>(run: (client: FetchClient, vars: V) => Promise<R>) => {
  const client = useFetchClient();
  const runRef = useRef(run);
  runRef.current = run;
  const [isLoading, setIsLoading] = useState(false);
  const mutate = useCallback(
    async (vars: V) => {
      setIsLoading(true);
      try {
        return await runRef.current(client, vars);
      } finally {
        setIsLoading(false);
      }
    },
    [client]
  );
  return { mutate, isLoading };
};
