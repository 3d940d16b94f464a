// "My documents": what the organization has uploaded.
import { Button, Caption1, Spinner, Table, TableBody, TableCell, TableCellLayout, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowClockwiseRegular, DocumentRegular } from "@fluentui/react-icons";
import { ErrorMessage } from "../../ui/error-message";
import { parseServerTime, useDocuments } from "../../api/get-documents";
import { ShowMore } from "../../ui/show-more";

const useStyles = makeStyles({
  header: { display: "flex", alignItems: "center", justifyContent: "space-between" },
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
});

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function MyDocuments() {
  const styles = useStyles();
  const documents = useDocuments();
  return (
    <section className={styles.column} aria-labelledby="my-documents-heading">
      <div className={styles.header}>
        <Text as="h2" id="my-documents-heading" weight="semibold" size={400}>
          My documents
        </Text>
        <Button
          appearance="subtle"
          icon={<ArrowClockwiseRegular />}
          aria-label="Refresh my documents"
          onClick={() => documents.refetch()}
          disabled={documents.isFetching}
        />
      </div>
      {documents.isLoading && <Spinner size="small" label="Loading your documents…" />}
      {documents.error && <ErrorMessage error={documents.error} onRetry={() => documents.refetch()} />}
      {documents.data && documents.data.length === 0 && (
        <Caption1>Nothing uploaded yet. Upload this document to start.</Caption1>
      )}
      {documents.data && documents.data.length > 0 && (
        <Table size="small" aria-label="My documents">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Uploaded</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {documents.data.map((doc) => {
              const created = parseServerTime(doc.created_at);
              return (
                <TableRow key={doc.document_id}>
                  <TableCell>
                    <TableCellLayout media={<DocumentRegular aria-hidden />} description={doc.tags?.length ? doc.tags.join(", ") : undefined}>
                      {doc.document_name}
                    </TableCellLayout>
                  </TableCell>
                  <TableCell>{created ? dateFormat.format(created) : ""}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      <ShowMore query={documents} what="documents" />
    </section>
  );
}
