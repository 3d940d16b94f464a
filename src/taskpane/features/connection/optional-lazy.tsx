// A part of a screen that is a bonus, not the point (the sign-in methods beyond the password): its
// code loads after the first paint with nothing in its place meanwhile, and if it can't load the
// screen simply goes on without it.
import { Component, Suspense, type ReactNode } from "react";
import type { LazyLoaded } from "../../ui/lazy-panel";

class QuietBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

export function OptionalLazy<P extends object>({ panel, props }: { panel: LazyLoaded<P>; props: P }) {
  const Panel = panel.Component;
  return (
    <QuietBoundary>
      <Suspense fallback={null}>
        <Panel {...props} />
      </Suspense>
    </QuietBoundary>
  );
}
