"""The plan in words, one way for every output (terminal, workbook, HTML, PDF, map and slides)."""

from __future__ import annotations

from typing import Mapping, Optional

from procmap.benefits.plan import Benefit, BenefitPlan, Measure
from procmap.words import minutes, number, percent, stage_label, words


class Say:
    """A plan's texts in one language."""

    def __init__(self, lang: str = "nb"):
        self.lang = lang
        self.w: Mapping[str, object] = words(lang)["benefits"]

    def __getitem__(self, key: str) -> str:
        return str(self.w[key])

    def stage(self, name: str) -> str:
        return stage_label(name, self.lang)

    def num(self, value: Optional[float], decimals: int = 0) -> str:
        return number(value, self.lang, decimals)

    def min(self, value: Optional[float]) -> str:
        return minutes(value, self.lang)

    def share(self, value: Optional[float]) -> str:
        return percent(value, self.lang)

    def type(self, kind: str) -> str:
        return str(self.w["types"][kind])  # type: ignore[index]

    def kind(self, measure: Measure) -> str:
        text = str(self.w["kinds"][measure.kind])  # type: ignore[index]
        return text.format(role=measure.role_after or "")

    def measure(self, measure: Measure) -> str:
        """'Skann søknaden: fjernes (Manuell → E-skjema)'."""
        return f"{measure.task}: {self.kind(measure)} ({self.stage(measure.from_stage)} → {self.stage(measure.to_stage)})"

    def measure_lines(self, benefit: Benefit) -> list[str]:
        """The benefit's measures, one a line, with the new integrations of a stage on one line."""
        out = [self.measure(m) for m in benefit.measures if m.kind != "integration"]
        steps: dict[tuple[str, str], list[str]] = {}
        for m in benefit.measures:
            if m.kind == "integration":
                steps.setdefault((m.from_stage, m.to_stage), []).append(m.task)
        for (a, b), tasks in steps.items():
            out.append(f"{self['map_integrations']}: {'; '.join(tasks)} ({self.stage(a)} → {self.stage(b)})")
        return out

    def subtitle(self, plan: BenefitPlan) -> str:
        return self["subtitle"].format(service=plan.service or "", a=self.stage(plan.first_stage),
                                       b=self.stage(plan.last_stage)).lstrip(": ")

    def indicator(self, b: Benefit) -> str:
        i = b.indicator
        return self["indicator_text"].format(role=b.role, a=self.min(i.minutes_baseline), b=self.min(i.minutes_target),
                                             m=i.manual_baseline, n=i.manual_target)

    def indicator_short(self, b: Benefit) -> str:
        i = b.indicator
        return self["indicator_short"].format(a=self.min(i.minutes_baseline), b=self.min(i.minutes_target),
                                              m=i.manual_baseline, n=i.manual_target)

    def figures(self, b: Benefit, currency: str) -> list[str]:
        """What the benefit is worth: hours (with their range), work years, money, what is realised."""
        out = []
        if b.hours_freed is not None:
            out.append(self["freed_line"].format(hours=self.num(b.hours_freed)))
        if b.hours_freed_p10 is not None and b.hours_freed_p90 is not None:
            out.append(self["range_line"].format(low=self.num(b.hours_freed_p10), high=self.num(b.hours_freed_p90)))
        if b.fte_freed is not None:
            out.append(self["fte_line"].format(fte=self.num(b.fte_freed, 2)))
        if b.money_freed is not None:
            out.append(self["money_line"].format(money=self.num(b.money_freed), cur=currency))
        if b.measured_on is not None:
            if b.realised_hours is not None:
                out.append(self["realised_line"].format(hours=self.num(b.realised_hours),
                                                        share=self.share(b.realised_share),
                                                        date=b.measured_on.isoformat()))
            else:
                out.append(self["realised_share_line"].format(share=self.share(b.realised_share),
                                                              date=b.measured_on.isoformat()))
        return out


def total_line(plan: BenefitPlan, lang: str = "nb") -> Optional[str]:
    """'Alle gevinster: 1 744 timer i året frigjort i organisasjonen; 1,03 årsverk; ...; og 1 139 timer i året
    spart utenfor organisasjonen (Søker)': the hours beside work years and money are the ones they are
    computed from; hours outside the organisation are said on their own. None without hours."""
    say, shared = Say(lang), words(lang)["terminal"]
    if plan.hours_freed is None:
        return None
    outside = [b.role for b in plan.benefits if b.type == "outside" and b.hours_freed]
    if not outside:
        total = [say["freed_line"].format(hours=say.num(plan.hours_freed))]
    else:
        total = [str(shared["hours_inside"]).format(hours=say.num(plan.hours_inside or 0.0))]
    if plan.fte_freed is not None:
        total.append(say["fte_line"].format(fte=say.num(plan.fte_freed, 2)))
    if plan.money_freed is not None:
        total.append(say["money_line"].format(money=say.num(plan.money_freed), cur=plan.currency))
    if outside:
        total.append(str(shared["hours_outside"]).format(hours=say.num(plan.hours_outside), roles=", ".join(outside)))
    return f"{say['total']}: {'; '.join(total)}"


def summary_lines(plan: BenefitPlan, lang: str = "nb") -> list[str]:
    """The plan as lines of text for a terminal: one block per benefit."""
    say = Say(lang)
    out = [f"{say['title']}: {say.subtitle(plan)}", ""]
    if not plan.benefits:
        return out + [say["no_benefits"].format(a=say.stage(plan.first_stage), b=say.stage(plan.last_stage))]
    if not plan.effort_known:
        out += [say["counts_only"], ""]
    elif plan.cases_per_year is None:
        out += [say["no_cases"], ""]
    for n, b in enumerate(plan.benefits, start=1):
        owner = b.owner or say["no_owner"]
        due = f", {say['due'].lower()} {b.due.isoformat()}" if b.due else ""
        out.append(f"{n}. {b.role} – {say.type(b.type)} – {say['owner'].lower()}: {owner}{due}")
        figures = say.figures(b, plan.currency)
        if figures:
            out.append("   " + "; ".join(figures))
        out.append(f"   {say['indicator']}: {say.indicator_short(b)}")
        out += [f"   - {line}" for line in say.measure_lines(b)]
        out.append("")
    total = total_line(plan, lang)
    return out + [total] if total else out


__all__ = ["Say", "summary_lines", "total_line"]
