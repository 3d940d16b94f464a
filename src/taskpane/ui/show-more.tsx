// "Show more" under a list loaded a page at a time (the documents list: src/taskpane/api/get-documents.ts).
import { Button } from "@fluentui/react-components";
import { t } from "../i18n";

/** `what`: the things listed, plural, in the pane's language ("documents" → "Show more documents"). */
export function ShowMore({ query, what }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown }; what: string }) {
  if (!query.hasNextPage) return null;
  return (
    <Button size="small" appearance="secondary" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
      {query.isFetchingNextPage ? t("ui.loadingMore", { what }) : t("ui.showMore", { what })}
    </Button>
  );
}
