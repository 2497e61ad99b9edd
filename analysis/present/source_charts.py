"""The charts of notebook 01: what the articles say (quantities per article,
the claims of one metric by wording, what cleaning removed)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.core import formatting

__all__ = ["claims_for_metric", "cleaning_by_reason", "quantities_by_article"]


def _with_article_labels(data: pd.DataFrame, articles: pd.DataFrame | None) -> pd.DataFrame:
    """Name each article by outlet and date (:func:`analysis.present.display.article_label`), not by file id."""
    from analysis.metadata.processed import read_processed
    from analysis.present import display

    if articles is None:
        from analysis.core import paths

        articles = read_processed("articles", paths.PROCESSED)
    return data.assign(article=data["article_id"].map(display.article_labels(articles)).fillna("unknown article"))


def _bars_per_article(
    data: pd.DataFrame,
    count: str,
    count_title: str,
    colour: str,
    colour_title: str,
    title: alt.Title,
    tooltip: list[alt.Tooltip],
    caption_text: str,
) -> alt.Chart:
    """A horizontal stacked bar per article (the shape of the sources charts);
    each bar's accessible label and the chart's description in words."""
    from analysis.present.rendering import row_words

    data = data.assign(**{f"{count}_text": data[count].map(lambda v: formatting.format_value(v, None))})
    data = data.assign(words=row_words(data, [("article", "article"), (colour, colour_title), (f"{count}_text", count_title)]))
    summary = "; ".join(data["words"])
    chart: alt.Chart = (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("article:N", title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X(f"{count}:Q", title=count_title, axis=alt.Axis(tickMinStep=1, format="d", description=f"axis: {count_title}")),
            color=alt.Color(f"{colour}:N", title=colour_title),
            order=alt.Order(f"{colour}:N"),
            tooltip=tooltip,
            description=alt.Description("words:N"),
        )
        .properties(
            height=30 * max(1, data["article"].nunique()) + 20,
            description=f"{title.text}: {summary}.",
            usermeta={"caption": caption_text},
        )
    )
    return chart


def quantities_by_article(quantities: pd.DataFrame, articles: pd.DataFrame | None = None) -> alt.Chart:
    """How many quantities the parser found in each story, by unit."""
    data = (
        quantities.assign(unit=quantities["unit"].fillna("bare count"))
        .groupby(["article_id", "unit"], as_index=False)
        .agg(quantities=("text", "size"), examples=("text", lambda t: " | ".join(t.head(4))))
    )
    data = _with_article_labels(data, articles)
    return _bars_per_article(
        data,
        "quantities",
        "quantities found",
        "unit",
        "unit",
        alt.Title("Quantities found in each story", subtitle="from the cleaned story text only"),
        [
            alt.Tooltip("article:N", title="article"),
            alt.Tooltip("unit:N", title="unit"),
            alt.Tooltip("quantities:Q", title="quantities found"),
            alt.Tooltip("examples:N", title="examples as written"),
        ],
        "Source: the five articles' cleaned text read by the project's number parser.",
    )


def claims_for_metric(claims: pd.DataFrame, metric: str, title: str, articles: pd.DataFrame | None = None) -> alt.Chart:
    """How each article states one metric: claims per article, coloured by bound
    ("plus de", "jusqu'à", exact); the tooltip carries the values and verbatim quotes."""
    from analysis.present import display

    data = (
        claims[claims["metric"] == metric]
        .assign(bound_label=lambda d: d["bound"].map(lambda b: display.word("bound", b)))
        .groupby(["article_id", "bound_label"], as_index=False)
        .agg(
            claims=("claim_id", "size"),
            values=("value", lambda v: ", ".join(formatting.format_value(x, "chips") for x in v)),
            quotes=("quote", lambda q: " | ".join(f"« {x} »" for x in q)),
        )
    )
    data = _with_article_labels(data, articles)
    outlets = "; ".join(sorted(data["article"].unique()))
    return _bars_per_article(
        data,
        "claims",
        "claims",
        "bound_label",
        "wording",
        alt.Title(title, subtitle="claims per article, by wording; hover for the values and verbatim quotes"),
        [
            alt.Tooltip("article:N", title="article"),
            alt.Tooltip("bound_label:N", title="wording"),
            alt.Tooltip("values:N", title="figures"),
            alt.Tooltip("quotes:N", title="verbatim quotes"),
        ],
        f"Sources: {outlets} (quotes in the claims table below).",
    )


def cleaning_by_reason(cleaning_log: pd.DataFrame, articles: pd.DataFrame | None = None) -> alt.Chart:
    """Lines removed from each article, by the rule that removed them."""
    data = cleaning_log.groupby(["article_id", "reason"], as_index=False).agg(
        lines=("text", "size"), example=("text", lambda t: t.iloc[0][:120])
    )
    data = _with_article_labels(data.assign(reason=data["reason"].str.replace("_", " ")), articles)
    return _bars_per_article(
        data,
        "lines",
        "lines removed",
        "reason",
        "rule",
        alt.Title("What cleaning removed", subtitle="lines removed per article, by rule"),
        [
            alt.Tooltip("article:N", title="article"),
            alt.Tooltip("reason:N", title="rule"),
            alt.Tooltip("lines:Q", title="lines removed"),
            alt.Tooltip("example:N", title="example line"),
        ],
        "Source: the five articles' raw text and the cleaning rules.",
    )
