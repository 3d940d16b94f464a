// Parts of the pane load on first use; when their code can't be fetched the person sees why and
// can try again without reloading the pane.
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { LazyPanel, lazyNamed } from "../../src/taskpane/ui/lazy-panel";

function Greeting({ name }: { name: string }) {
  return <p>Hello {name}</p>;
}

function renderPanel(panel: ReturnType<typeof lazyNamed<{ name: string }>>) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <LazyPanel panel={panel} label="the greeting" props={{ name: "Ada" }} />
    </FluentProvider>,
  );
}

test("shows a spinner while the code loads, then the part with its props", async () => {
  let resolve!: (module: Record<string, unknown>) => void;
  const panel = lazyNamed<{ name: string }>(() => new Promise((r) => (resolve = r)), "Greeting");
  renderPanel(panel);
  expect(screen.getByText("Loading the greeting…")).toBeInTheDocument();
  resolve({ Greeting });
  expect(await screen.findByText("Hello Ada")).toBeInTheDocument();
  expect(screen.queryByText("Loading the greeting…")).not.toBeInTheDocument();
});

test("a failed load says what to do, and Try again fetches the code again", async () => {
  jest.spyOn(console, "error").mockImplementation(() => undefined); // React reports the caught error
  const load = jest.fn<Promise<Record<string, unknown>>, []>().mockRejectedValueOnce(new Error("ChunkLoadError")).mockResolvedValue({ Greeting });
  renderPanel(lazyNamed<{ name: string }>(load, "Greeting"));
  expect(await screen.findByText("This part of Sidecar didn't load")).toBeInTheDocument();
  expect(screen.getByText(/Check the connection to the server/)).toBeInTheDocument();
  await userEvent.click(screen.getByRole("button", { name: "Try again" }));
  expect(await screen.findByText("Hello Ada")).toBeInTheDocument();
  expect(load).toHaveBeenCalledTimes(2);
});

test("preload fetches once; rendering afterwards reuses that fetch", async () => {
  const load = jest.fn(async () => ({ Greeting }));
  const panel = lazyNamed<{ name: string }>(load, "Greeting");
  panel.preload();
  panel.preload();
  renderPanel(panel);
  expect(await screen.findByText("Hello Ada")).toBeInTheDocument();
  expect(load).toHaveBeenCalledTimes(1);
});
