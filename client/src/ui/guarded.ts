/**
 * Wraps a command's handler: a dismissed step ends it quietly, any other failure is reported (once, with what
 * to do) and the command resolves to undefined, so the palette shows no second, generic error.
 */
import { Cancelled } from './prompts';
import type { Reporter } from './reporter';

export function guarded<A extends unknown[], R>(reporter: Reporter, title: string, handler: (...args: A) => Promise<R>): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof Cancelled) return undefined;
      await reporter.report(title, error);
      return undefined;
    }
  };
}
