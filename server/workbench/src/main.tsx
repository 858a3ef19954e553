// The workbench's entry: the page's layout. Views live in their own modules; they share
// state through state.ts and reach the server only through api.ts.
import { render } from "preact";
import { Canvas } from "./canvas";
import { EvidencePanel } from "./evidence";
import { SearchBox } from "./search";
import { SelectionPanel } from "./selection";
import { notice } from "./state";
import "./styles.css";
import { OpenView, ViewSwitcher } from "./views";

function App() {
  return (
    <>
      <header class="top">
        <h1>eventgraph</h1>
        <SearchBox />
        <ViewSwitcher />
        <nav aria-label="Elsewhere">
          <a href="/graphiql">GraphiQL</a>
          <a href="/licenses.txt">Licences</a>
        </nav>
      </header>
      <main class="work">
        <div class="beside">
          <Canvas />
          <OpenView />
        </div>
        <SelectionPanel />
        <EvidencePanel />
      </main>
      <p class="notice" role="status" aria-live="polite">
        {notice.value}
      </p>
    </>
  );
}

render(<App />, document.getElementById("app")!);
