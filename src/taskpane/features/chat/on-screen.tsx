// One message of a long conversation, rendered only while it is on screen or near it: otherwise
// an empty box of the height it had (or an estimate, before it was first shown), so the scroll bar
// and the position of everything else stay as they were. An IntersectionObserver tells when it
// comes near the screen, whichever element scrolls (the task pane's page in Word, the side
// column in the browser tab). A message that holds the keyboard focus is never emptied. Without
// IntersectionObserver everything is rendered.
import { makeStyles } from "@fluentui/react-components";
import { useEffect, useRef, useState, type ReactNode } from "react";

/** Height given to a message not yet shown (px): about a short answer. */
const ESTIMATED_HEIGHT = 160;
/** How far beyond the screen messages are already rendered (px), so scrolling never shows a gap. */
const NEAR = "1200px 0px";

const useStyles = makeStyles({
  // A column, like the conversation itself: a question keeps its place on the right.
  box: { display: "flex", flexDirection: "column" },
});

export function OnScreen({ always, children }: { always: boolean; children: ReactNode }) {
  const styles = useStyles();
  const box = useRef<HTMLDivElement>(null);
  const height = useRef(ESTIMATED_HEIGHT);
  const canObserve = typeof IntersectionObserver !== "undefined";
  const [near, setNear] = useState(always || !canObserve);

  useEffect(() => {
    const element = box.current;
    if (always || !element || !canObserve) {
      setNear(true);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        const entry = entries[entries.length - 1];
        if (!entry) return;
        if (entry.isIntersecting) {
          setNear(true);
        } else if (!element.contains(document.activeElement)) {
          if (element.offsetHeight > 0) height.current = element.offsetHeight;
          setNear(false);
        }
      },
      { rootMargin: NEAR },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [always, canObserve]);

  return (
    <div ref={box} className={styles.box} data-on-screen={near ? "rendered" : "placeholder"} style={near ? undefined : { height: height.current }}>
      {near ? children : null}
    </div>
  );
}
