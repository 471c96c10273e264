import re

from assettransfer.services.charts import Series, bar_chart


def test_bars_are_to_scale_and_described_for_screen_readers():
    svg = str(bar_chart("Decisions <by month>", ["Apr", "May"],
                        [Series("Agreed", (3, 0)), Series("Refused", (1, 2))]))
    assert "<title" in svg and "Decisions &lt;by month&gt;" in svg  # text is escaped
    assert "Apr: Agreed 3, Refused 1; May: Agreed 0, Refused 2" in svg  # the <desc>
    bar = r'<rect [^>]*height="([\d.]+)" fill="[^"]+"><title>'
    heights = [float(h) for h in re.findall(bar, svg)]
    assert len(heights) == 4
    agreed_apr, refused_apr, agreed_may, refused_may = heights
    assert agreed_may == 0 and agreed_apr == 3 * refused_apr and refused_may == 2 * refused_apr
    assert ">Agreed</text>" in svg and ">Refused</text>" in svg  # the legend


def test_long_names_wrap_between_words_and_the_chart_grows():
    short = str(bar_chart("t", ["A"] * 7, [Series("x", (1,) * 7)]))
    long = str(bar_chart("t", ["6 months or more"] * 7, [Series("x", (1,) * 7)]))
    assert '>6 months or</tspan><tspan x=' in long
    height = lambda svg: int(re.search(r'height="(\d+)"', svg).group(1))  # noqa: E731
    assert height(long) > height(short)
