"""The Textual app of `argmap browse`: the argument as a foldable tree beside the selected
claim's details, with search, traces and "what rests on this source"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.console import RenderableType
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Input, OptionList, Static, Tree
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode

from argmap.browse.content import BrowseContent, Hit, words
from argmap.errors import ArgmapError
from argmap.map.models import RelationType
from argmap.render.outline import ClaimNode, build_outline

# Every key of the browser, in the order the footer lists them. ← → and tab are bound on the
# tree (they replace its sideways scrolling, and the screen's own tab binding, which the footer
# would not show); the rest on the app. The tree's own keys (↑ ↓, space to fold or unfold,
# enter) work as in any Textual tree.
KEYS: list[Binding] = [
    Binding("left", "fold", "Fold", key_display="←"),
    Binding("right", "unfold", "Unfold", key_display="→"),
    Binding("slash", "search", "Search", key_display="/"),
    Binding("t", "trace", "Trace"),
    Binding("s", "sources", "Source"),
    Binding("l", "toggle_lang", "Lang"),
    Binding("tab", "app.focus_next", "Pane"),
    Binding("escape", "go_back", "Back"),
    Binding("q", "quit", "Quit"),
    # Textual only hints at ctrl+q on ctrl+c; a reader who presses ctrl+c means to leave.
    Binding("ctrl+c", "quit", "Quit", show=False),
]
ON_TREE = {"left", "right", "tab"}

View = Literal["claim", "trace", "source", "results"]
Listing = Literal["search", "sources", "resting"]  # what a list of results is


@dataclass(frozen=True)
class NodeData:
    """What a tree node stands for: a claim, how it hangs from its parent, and whether it only
    refers to a claim drawn elsewhere in the tree."""

    claim_id: str
    relation: RelationType | None
    ref: bool = False


class ClaimTree(Tree[NodeData]):
    """The argument's tree: → unfolds the branch under the cursor, ← folds it (or goes up)."""

    BINDINGS: ClassVar[list[BindingType]] = [k for k in KEYS if k.key in ON_TREE]

    def action_unfold(self) -> None:
        """Unfold the branch under the cursor."""
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()

    def action_fold(self) -> None:
        """Fold the branch under the cursor, or go up to its parent when it is folded."""
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children and node is not self.root:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)


class BrowseApp(App[None]):
    """A tree of the argument on the left, the selected claim (or a trace, or search results)
    on the right, the keys in the footer."""

    CSS_PATH = "browse.tcss"
    TITLE = "argmap browse"
    BINDINGS: ClassVar[list[BindingType]] = [k for k in KEYS if k.key not in ON_TREE]
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        content: BrowseContent,
        lang: str,
        format_references: Callable[[], dict[str, str]] | None = None,
    ) -> None:
        """Browse ``content`` in ``lang``; ``format_references``, when given, runs in a thread
        after the first screen and fills in the references (citeproc-py takes a second)."""
        super().__init__()
        self.content = content
        self.format_references = format_references
        content.pending = format_references is not None
        self.lang = lang
        self.nodes: dict[str, TreeNode[NodeData]] = {}
        self.view: View = "claim"
        self.target = ""  # the claim or source key the right pane shows
        self.current_claim = ""
        self.hits: list[Hit] = []
        self.last_query = ""  # the search listed, or the claim whose sources are listed
        self.listing: Listing = "search"

    def compose(self) -> ComposeResult:
        """The tree pane, the detail pane (or the results list), the search box, the footer."""
        with Horizontal(id="panes"):
            yield ClaimTree(self._title(), id="outline")
            with Vertical(id="right"):
                yield Static(id="heading")
                with VerticalScroll(id="detail-scroll"):
                    yield Static(id="detail")
                yield OptionList(id="results")
        yield Input(id="search", placeholder=words(self.lang)["search"])
        yield Footer(compact=True)  # every key fits in 80 columns

    def on_mount(self) -> None:
        """Build the tree, folded to the root claims, and show the first of them."""
        tree = self.outline
        tree.guide_depth = 2
        tree.root.expand()
        outline = build_outline(self.content.map, lang=self.lang, evidence=False)
        for root in outline.roots:
            self._add(tree.root, root)
        # Branches deeper than the outline's nesting limit go on as trees of their own, each
        # headed by the claim where it was cut (as `show` draws them).
        for continuation in outline.continuations:
            self._add(tree.root, continuation)
        if outline.unlinked:
            rest = tree.root.add(Text(words(self.lang)["unlinked"], style="bold dim"))
            for node in outline.unlinked:
                self._add(rest, node)
        self.search_box.cursor_blink = False
        self.search_box.display = False
        self.results.display = False
        tree.focus()
        if self.format_references is not None:
            # Started once the first screen is drawn: the thread holds the GIL for long spells,
            # and would otherwise slow that first drawing down.
            self.call_after_refresh(self._start_formatting)
        if outline.roots:
            first = outline.roots[0].claim.id
            self.current_claim = first
            self._show("claim", first)
            self.call_after_refresh(self._move_to, self.nodes[first])

    def _start_formatting(self) -> None:
        self.run_worker(self._format_in_thread, thread=True, exit_on_error=False)

    def _format_in_thread(self) -> None:
        assert self.format_references is not None
        try:
            references = self.format_references()
        except ArgmapError as error:
            self.call_from_thread(self._references_failed, str(error))
            return
        self.call_from_thread(self._references_ready, references)

    def _references_ready(self, references: dict[str, str]) -> None:
        self.content.references = references
        self.content.pending = False
        if self.view != "results":
            self._show(self.view, self.target)

    def _references_failed(self, message: str) -> None:
        self.content.pending = False
        self.notify(message, title="references", severity="error", timeout=10, markup=False)
        if self.view != "results":
            self._show(self.view, self.target)

    # -- widgets ---------------------------------------------------------------------------

    @property
    def outline(self) -> ClaimTree:
        """The tree pane."""
        return self.query_one("#outline", ClaimTree)

    @property
    def search_box(self) -> Input:
        """The search input, shown by /."""
        return self.query_one("#search", Input)

    @property
    def results(self) -> OptionList:
        """The list of search results or of a claim's sources."""
        return self.query_one("#results", OptionList)

    def _title(self) -> Text:
        return Text(self.content.map.article.title, style="bold", no_wrap=True, overflow="ellipsis")

    def _add(self, parent: TreeNode[NodeData], node: ClaimNode) -> None:
        data = NodeData(node.claim.id, node.relation, ref=node.seen_before or node.continuation)
        label = self.content.tree_label(node.claim.id, self.lang, node.relation, data.ref)
        if node.children:
            branch = parent.add(label, data=data)
            for child in node.children:
                self._add(branch, child)
        else:
            branch = parent.add_leaf(label, data=data)
        if not data.ref:
            self.nodes[node.claim.id] = branch

    # -- the right pane --------------------------------------------------------------------

    def _show(self, view: View, target: str) -> None:
        """Show ``view`` of ``target`` (a claim id or a source key) in the right pane."""
        self.view, self.target = view, target
        w = words(self.lang)
        heading = Text(f"[{self.lang}] ", style="dim")
        body: RenderableType = ""
        if view == "claim":
            heading.append(f"{w['claim']} {target}")
            body = self.content.detail(target, self.lang)
        elif view == "trace":
            heading.append(f"{w['chain']} {target}")
            body = self.content.claim_trace(target, self.lang)
        elif view == "source":
            heading.append(f"{w['source']} {target}")
            body = self.content.source_trace(target, self.lang)
        else:
            heading.append(self._results_heading())
        self.query_one("#heading", Static).update(heading)
        showing_results = view == "results"
        self.results.display = showing_results
        self.query_one("#detail-scroll").display = not showing_results
        if not showing_results:
            self.query_one("#detail", Static).update(body)
            self.query_one("#detail-scroll", VerticalScroll).scroll_home(animate=False)

    def _results_heading(self) -> str:
        w = words(self.lang)
        if self.listing == "resting":
            return w["resting"].format(key=self.last_query)
        if self.listing == "sources":
            claim = self.last_query
            if not self.hits:
                return w["no_sources"].format(claim=claim)
            return w["sources_of"].format(claim=claim)
        if not self.hits:
            return w["none"].format(query=self.last_query)
        if len(self.hits) == 1:
            return w["result1"].format(query=self.last_query)
        return w["results"].format(n=len(self.hits), query=self.last_query)

    def _list(self, hits: list[Hit], query: str, listing: Listing = "search") -> None:
        """Show ``hits`` as a list to pick from: a search's results or a claim's sources."""
        self.hits, self.last_query, self.listing = hits, query, listing
        self.results.clear_options()
        self.results.add_options([Option(Text(h.label)) for h in hits])
        self._show("results", query)
        if hits:
            self.results.highlighted = 0
            self.results.focus()

    # -- events ----------------------------------------------------------------------------

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        """Moving in the tree shows the claim under the cursor."""
        if event.node.data is not None:
            self.current_claim = event.node.data.claim_id
            self._show("claim", self.current_claim)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box lists what matches."""
        self.search_box.display = False
        self._list(self.content.search(event.value, self.lang), event.value)
        if not self.hits:
            self.outline.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a result goes to its claim, or to what rests on its source."""
        hit = self.hits[event.option_index]
        if hit.kind == "source":
            self._show("source", hit.target)
            self.outline.focus()
        else:
            self.reveal(hit.target)

    def reveal(self, claim_id: str) -> None:
        """Unfold the branches down to a claim, put the cursor on it and show it."""
        node = self.nodes[claim_id]
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self.current_claim = claim_id
        self._show("claim", claim_id)
        self.outline.focus()
        self.call_after_refresh(self._move_to, node)

    def _move_to(self, node: TreeNode[NodeData]) -> None:
        self.outline.move_cursor(node)
        self.outline.scroll_to_node(node, animate=False)

    # -- actions ---------------------------------------------------------------------------

    def action_search(self) -> None:
        """Open the search box."""
        self.search_box.display = True
        self.search_box.value = ""
        self.search_box.focus()

    def action_trace(self) -> None:
        """The chain from the root to the current claim."""
        if self.current_claim:
            self._show("trace", self.current_claim)

    def action_sources(self) -> None:
        """From a claim, what rests on one of its sources (at once when it has one, else pick);
        from a source, the claims that rest on it, to go to one."""
        if self.view == "source":
            key = self.target
            self._list(self.content.resting_on(key, self.lang), key, "resting")
            return
        if not self.current_claim:
            return
        keys = self.content.sources_of(self.current_claim)
        if len(keys) == 1:
            self._show("source", keys[0])
            return
        hits = [Hit("source", key, f"⊙ {self.content.source_label(key)}") for key in keys]
        self._list(hits, self.current_claim, "sources")

    def action_toggle_lang(self) -> None:
        """Switch to the map's next language: tree labels, the right pane, the search box."""
        langs = self.content.languages
        self.lang = (
            langs[(langs.index(self.lang) + 1) % len(langs)] if self.lang in langs else langs[0]
        )
        for node in self._all_nodes():
            data = node.data
            if data is not None:
                node.set_label(
                    self.content.tree_label(data.claim_id, self.lang, data.relation, data.ref)
                )
            elif node is not self.outline.root:
                node.set_label(Text(words(self.lang)["unlinked"], style="bold dim"))
        self.search_box.placeholder = words(self.lang)["search"]
        if self.view == "results":
            if self.listing == "sources":
                self._list(self.hits, self.last_query, "sources")
            elif self.listing == "resting":
                hits = self.content.resting_on(self.last_query, self.lang)
                self._list(hits, self.last_query, "resting")
            else:
                self._list(self.content.search(self.last_query, self.lang), self.last_query)
        else:
            self._show(self.view, self.target)

    def action_go_back(self) -> None:
        """Close the search box or the list, or go from a trace back to the claim."""
        if self.search_box.display:
            self.search_box.display = False
        elif self.current_claim:
            self._show("claim", self.current_claim)
        self.outline.focus()

    def _all_nodes(self) -> list[TreeNode[NodeData]]:
        out: list[TreeNode[NodeData]] = []
        stack = [self.outline.root]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(node.children)
        return out
