// A section's name on screen (src/taskpane/ui/short-label.ts): a heading that is a whole paragraph
// shows its first words and an ellipsis, with the full text on hover (title) and for screen
// readers, which read the full text instead of the cut one.
import { makeStyles } from "@fluentui/react-components";
import { shortLabel } from "./short-label";

const useStyles = makeStyles({
  visuallyHidden: { position: "absolute", width: "1px", height: "1px", overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" },
});

export function SectionLabel({ title }: { title: string }) {
  const styles = useStyles();
  const short = shortLabel(title);
  if (short === title.replace(/\s+/g, " ").trim()) return <>{short}</>;
  return (
    <span title={title}>
      <span aria-hidden>{short}</span>
      <span className={styles.visuallyHidden}>{title}</span>
    </span>
  );
}
