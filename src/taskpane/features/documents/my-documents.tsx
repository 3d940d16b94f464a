// "My documents": what the organization has uploaded.
import { Button, Caption1, Spinner, Table, TableBody, TableCell, TableCellLayout, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowClockwiseRegular, DocumentRegular } from "@fluentui/react-icons";
import { ErrorMessage } from "../../ui/error-message";
import { parseServerTime, useDocuments, type DocumentSummary } from "../../api/get-documents";
import { formatDateTime, formatFileSize, t } from "../../i18n";
import { ShowMore } from "../../ui/show-more";

const useStyles = makeStyles({
  header: { display: "flex", alignItems: "center", justifyContent: "space-between", gap: tokens.spacingHorizontalS, minWidth: 0 },
  heading: { minWidth: 0, overflowWrap: "anywhere" },
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  // The date column keeps a fixed share of the (fixed-layout) table; the name takes the rest and truncates.
  dateColumn: { width: "40%" },
  date: { overflowWrap: "anywhere" },
  truncate: { display: "block", overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", minWidth: 0 },
});

/** Under the name: the file's size (when the server says) and its tags. */
function details(doc: DocumentSummary): string | undefined {
  const parts: string[] = [];
  if (typeof doc.size_bytes === "number") parts.push(formatFileSize(doc.size_bytes));
  if (doc.tags?.length) parts.push(doc.tags.join(", "));
  return parts.length ? parts.join(" · ") : undefined;
}

export function MyDocuments() {
  const styles = useStyles();
  const documents = useDocuments();
  return (
    <section className={styles.column} aria-labelledby="my-documents-heading">
      <div className={styles.header}>
        <Text as="h2" id="my-documents-heading" weight="semibold" size={400} className={styles.heading}>
          {t("documents.myDocuments")}
        </Text>
        <Button
          appearance="subtle"
          icon={<ArrowClockwiseRegular />}
          aria-label={t("documents.refresh")}
          title={t("documents.refresh")}
          onClick={() => documents.refetch()}
          disabled={documents.isFetching}
        />
      </div>
      {documents.isLoading && <Spinner size="small" label={t("documents.loading")} />}
      {documents.error && <ErrorMessage error={documents.error} onRetry={() => documents.refetch()} />}
      {documents.data && documents.data.length === 0 && <Caption1>{t("documents.empty")}</Caption1>}
      {documents.data && documents.data.length > 0 && (
        <Table size="small" aria-label={t("documents.myDocuments")}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t("documents.columnName")}</TableHeaderCell>
              <TableHeaderCell className={styles.dateColumn}>{t("documents.columnUploaded")}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {documents.data.map((doc) => {
              const created = parseServerTime(doc.created_at);
              const description = details(doc);
              return (
                <TableRow key={doc.document_id}>
                  <TableCell>
                    <TableCellLayout
                      truncate
                      media={<DocumentRegular aria-hidden />}
                      description={description ? { children: description, className: styles.truncate, title: description } : undefined}
                    >
                      <span className={styles.truncate} title={doc.document_name}>
                        {doc.document_name}
                      </span>
                    </TableCellLayout>
                  </TableCell>
                  <TableCell className={styles.date}>{created ? formatDateTime(created) : ""}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      <ShowMore query={documents} what={t("documents.showMoreWhat")} />
    </section>
  );
}
