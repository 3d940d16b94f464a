// One source passage: the source document's name, the referenced text, the passage in context,
// and the source file itself.
import { Button, Caption1, Card, CardHeader, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { DocumentRegular, OpenRegular, TextQuoteRegular } from "@fluentui/react-icons";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useApiClient } from "../../api/api-context";
import { presignedUrl } from "../../api/download";
import { t } from "../../i18n";
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
  context: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, color: tokens.colorNeutralForeground3, overflowWrap: "anywhere" },
  // CardHeader is a grid: its text column shrinks (and a long file name truncates) only when allowed to.
  headerSlot: { minWidth: 0, overflow: "hidden" },
  truncate: { display: "block", overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", minWidth: 0 },
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
      if (!source.s3_key) throw new Error(t("sources.noStorageKey"));
      const url = await presignedUrl(client, source.s3_key);
      window.open(url, "_blank", "noopener");
    },
  });

  const name = source.document_source_name || t("sources.unnamedSource");
  return (
    <Card aria-label={t("sources.cardLabel", { number: index + 1, name })}>
      <CardHeader
        image={<DocumentRegular fontSize={20} aria-hidden />}
        header={{
          className: styles.headerSlot,
          children: (
            <Text weight="semibold" className={styles.truncate} title={name}>
              {name}
            </Text>
          ),
        }}
        description={<Caption1>{t("sources.sourceNumber", { number: index + 1 })}</Caption1>}
      />
      {showContext && context.data ? (
        <div className={styles.context} aria-label={t("sources.passageInContext")}>
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
      {showContext && context.isLoading && <Spinner size="tiny" label={t("sources.loadingContext")} />}
      {showContext && context.error && <ErrorMessage error={context.error} onRetry={() => context.refetch()} />}
      <div className={styles.actions}>
        {passageId !== undefined && (
          <Button size="small" icon={<TextQuoteRegular />} aria-expanded={showContext} onClick={() => setShowContext((v) => !v)}>
            {showContext ? t("sources.hideContext") : t("sources.showContext")}
          </Button>
        )}
        {source.s3_key && (
          <Button size="small" icon={<OpenRegular />} disabled={openFile.isPending} onClick={() => openFile.mutate()}>
            {t("sources.openFile")}
          </Button>
        )}
      </div>
      {openFile.error && <ErrorMessage error={openFile.error} title={t("sources.openFileFailed")} />}
    </Card>
  );
}
