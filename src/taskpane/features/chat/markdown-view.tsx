// Markdown for answers, loaded on demand (it is the largest piece of the chat). Raw HTML in an
// answer is shown as the text it is, never rendered: `<script>` and `<img onerror>` stay inert.
import { useMemo, useRef } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import { t } from "../../i18n";
import { CITATION_MARKER } from "./citations";

interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
}

/** remark plugin: turn raw HTML nodes into plain text nodes. */
function htmlAsText() {
  const walk = (node: MdNode) => {
    if (node.type === "html") node.type = "text";
    node.children?.forEach(walk);
  };
  return (tree: MdNode) => walk(tree);
}

/** `[3]` → a link the view turns into a citation button (not `[3]:` definitions or `[3](url)`). */
export function linkCitations(markdown: string): string {
  return markdown.replace(CITATION_MARKER, "[[$1]](#cite-$1)");
}

export default function MarkdownView({ text, onCite }: { text: string; onCite: (n: number) => void }) {
  // Stable components: a new `a` component on every render would remount every link (and lose a
  // click that lands while the answer re-renders).
  const latestOnCite = useRef(onCite);
  latestOnCite.current = onCite;
  const components = useMemo<Components>(() => ({
    a: ({ href, children }) => {
      const cite = /^#cite-(\d+)$/.exec(href ?? "");
      if (cite) {
        const n = Number(cite[1]);
        return (
          <a
            href={href}
            aria-label={t("chat.sourceNumber", { number: n })}
            onClick={(event) => {
              event.preventDefault();
              latestOnCite.current(n);
            }}
          >
            {children}
          </a>
        );
      }
      return (
        <a href={href} target="_blank" rel="noopener noreferrer">
          {children}
        </a>
      );
    },
  }), []);
  return (
    <ReactMarkdown remarkPlugins={[htmlAsText]} components={components}>
      {linkCitations(text)}
    </ReactMarkdown>
  );
}
