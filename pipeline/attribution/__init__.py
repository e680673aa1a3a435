"""Attribution: what each figure measures, whom it is about, when, and who says it.

Built on the rows the earlier stages make (figures, entities, quotes) and on clauses, since no
Chinese dependency parser can be installed here: ranked templates first (``X的Y为N``, ``X Y达N``,
``X拥有N块Y``), then the clause's subject, the previous clause's and the previous sentence's.
"""

from pipeline.attribution.attribute import Attribution, attribute_figures, nearest_entity
from pipeline.attribution.measures import MeasureLexicon, load_measures

__all__ = ["Attribution", "MeasureLexicon", "attribute_figures", "load_measures", "nearest_entity"]
