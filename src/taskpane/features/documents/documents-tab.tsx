import { makeStyles, tokens } from "@fluentui/react-components";
import { MyDocuments } from "./my-documents";
import { UploadCard } from "./upload-card";

const useStyles = makeStyles({ column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL } });

/** `documentKey` changes when a different document becomes "the open document" (browser tab). */
export function DocumentsTab({ documentKey, hasDocument }: { documentKey: string; hasDocument: boolean }) {
  const styles = useStyles();
  return (
    <div className={styles.column}>
      {hasDocument && <UploadCard key={documentKey} documentKey={documentKey} />}
      <MyDocuments />
    </div>
  );
}
