// One source passage: the source document's name, the referenced text, the passage in context,
// and the source file itself.
import { Button, Caption1, Card, CardHeader, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { DocumentRegular, OpenRegular, TextQuoteRegular } from "@fluentui/react-icons";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useApiClient } from "../../api/api-context";
import { presignedUrl } from "../../api/download";
import { ErrorMessage } from "../../ui/error-message";
import { useSourceContext } from "./api/get-source-context";
import type { Source } from "./api/get-sources";

const useStyles = makeStyles({
  quote: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalM,
    borderLeft: `3px solid ${tokens.colorBrandStroke1}`,
    whiteSpace: "pre-wrap",
    overflowWrap: "anywhere",
  },
  clamped: { display: "-webkit-box", WebkitLineClamp: "6", WebkitBoxOrient: "vertical", overflow: "hidden" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap", alignItems: "center" },
  context: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, color: tokens.colorNeutralForeground3 },
  passage: { color: tokens.colorNeutralForeground1, backgroundColor: tokens.colorPaletteYellowBackground1, padding: tokens.spacingHorizontalXS },
});

export function SourceCard({ source, index }: { source: Source; index: number }) {
  const styles = useStyles();
  const client = useApiClient();
  const [showContext, setShowContext] = useState(false);
  const passageId = source.passage_id === undefined ? undefined : String(source.passage_id);
  const context = useSourceContext(source.document_source_id, passageId, showContext);
  const openFile = useMutation({
    mutationFn: async () => {
      if (!source.s3_key) throw new Error("The server did not say where this source is stored");
      const url = await presignedUrl(client, source.s3_key);
      window.open(url, "_blank", "noopener");
    },
  });

  return (
    <Card aria-label={`Source ${index + 1}: ${source.document_source_name}`}>
      <CardHeader
        image={<DocumentRegular fontSize={20} aria-hidden />}
        header={<Text weight="semibold">{source.document_source_name || "Unnamed source"}</Text>}
        description={<Caption1>Source {index + 1}</Caption1>}
      />
      {showContext && context.data ? (
        <div className={styles.context} aria-label="Passage in context">
          {context.data.before.map((text, i) => (
            <Text key={`b${i}`} size={200}>
              {text}
            </Text>
          ))}
          <Text className={styles.passage} size={300}>
            {context.data.passage}
          </Text>
          {context.data.after.map((text, i) => (
            <Text key={`a${i}`} size={200}>
              {text}
            </Text>
          ))}
        </div>
      ) : (
        <blockquote className={`${styles.quote} ${styles.clamped}`}>{source.referenced_text}</blockquote>
      )}
      {showContext && context.isLoading && <Spinner size="tiny" label="Loading the passage in context…" />}
      {showContext && context.error && <ErrorMessage error={context.error} onRetry={() => context.refetch()} />}
      <div className={styles.actions}>
        {passageId !== undefined && (
          <Button size="small" icon={<TextQuoteRegular />} aria-expanded={showContext} onClick={() => setShowContext((v) => !v)}>
            {showContext ? "Hide context" : "Show in context"}
          </Button>
        )}
        {source.s3_key && (
          <Button size="small" icon={<OpenRegular />} disabled={openFile.isPending} onClick={() => openFile.mutate()}>
            Open source file
          </Button>
        )}
      </div>
      {openFile.error && <ErrorMessage error={openFile.error} title="Couldn't open the source file" />}
    </Card>
  );
}
