// A part of the pane whose code loads on first use (each tab is its own chunk, so the pane's
// first paint carries only the shell). While the code loads: a spinner. When it cannot load
// (the server was restarted with a new build, the network dropped): words and a way to try again,
// without losing anything in the other tabs.
import { Spinner } from "@fluentui/react-components";
import { Component, Suspense, lazy, useState, type ComponentType, type ReactNode } from "react";
import { t } from "../i18n";
import { ErrorMessage } from "./error-message";

/**
 * `React.lazy` for a named export, retried on demand: a failed import is not cached by the
 * browser's module map for webpack chunks, so calling the loader again really fetches again.
 */
export function lazyNamed<P extends object>(load: () => Promise<Record<string, unknown>>, name: string): LazyLoaded<P> {
  // One fetch at a time, shared by preload() and rendering; forgotten when it fails so a retry fetches again.
  let pending: Promise<Record<string, unknown>> | undefined;
  const loadOnce = () =>
    (pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
  let current = make();
  function make() {
    // A lazy component takes the same props as the one it loads.
    return lazy(async () => ({ default: (await loadOnce())[name] as ComponentType<P> })) as unknown as ComponentType<P>;
  }
  return {
    get Component() {
      return current;
    },
    reset() {
      current = make();
    },
    preload() {
      loadOnce().catch(() => undefined); // a failure shows (with a retry) when the part is rendered
    },
  };
}

export interface LazyLoaded<P extends object> {
  readonly Component: ComponentType<P>;
  reset(): void;
  /** Starts fetching the code now (for a part that is likely to be needed soon). */
  preload(): void;
}

interface BoundaryProps {
  children: ReactNode;
  onRetry(): void;
}

class LoadBoundary extends Component<BoundaryProps, { error: unknown }> {
  override state = { error: undefined as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    if (this.state.error === undefined) return this.props.children;
    return (
      <ErrorMessage
        title={t("ui.partDidNotLoad")}
        message={t("ui.partDidNotLoadHint")}
        onRetry={() => {
          this.props.onRetry();
          this.setState({ error: undefined });
        }}
      />
    );
  }
}

/**
 * Renders a lazily loaded panel with a spinner while it loads and a retry when it fails. `label`
 * names the part in the pane's language ("Loading {label}…").
 */
export function LazyPanel<P extends object>({ panel, props, label }: { panel: LazyLoaded<P>; props: P; label: string }) {
  const [, setAttempt] = useState(0);
  const Panel = panel.Component;
  return (
    <LoadBoundary
      onRetry={() => {
        panel.reset();
        setAttempt((n) => n + 1);
      }}
    >
      <Suspense fallback={<Spinner size="tiny" label={t("ui.loadingPart", { label })} />}>
        <Panel {...props} />
      </Suspense>
    </LoadBoundary>
  );
}
