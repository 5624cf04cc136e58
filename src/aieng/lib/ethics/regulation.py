"""Rule tables for the EU AI Act's risk tiers and obligations, and for the GDPR's principles: a teaching
simplification of two long legal texts, NOT legal advice.

EU AI Act (Regulation (EU) 2024/1689), as simplified here, in the order the rules apply:

1. unacceptable: the system uses a practice prohibited by Article 5 (PROHIBITED_PRACTICES);
2. high: it is a safety component of a product under EU harmonisation law (Annex I: machinery, toys,
   medical devices, lifts, vehicles, ...), or its (area, purpose) is listed in Annex III (ANNEX_III) -
   unless, for Annex III only, it performs a narrow procedural task that does not materially influence the
   decision (Article 6(3)) and does not profile people (profiling always stays high-risk);
3. limited: it talks with people, generates synthetic content or produces deepfakes (the transparency
   duties of Article 50);
4. minimal: everything else (voluntary codes of conduct).

General-purpose AI models (Articles 53 and 55) carry their own duties; a model trained with more than
1e25 floating-point operations is presumed to have systemic risk (Article 51(2)).

GDPR (Regulation (EU) 2016/679), Article 5: personal data must be processed lawfully, fairly and
transparently; collected for specified purposes and not used for incompatible ones; limited to what is
necessary; accurate; kept no longer than necessary; secured; and the controller must be able to show all
of this (accountability). `gdpr_issues` checks a description of a processing activity against each
principle with one rule apiece.

Left out: the many exceptions and details (e.g. law-enforcement exemptions to the biometric bans, the
Commission's power to amend Annex III, deployer vs provider duties, the GDPR's special categories and
international transfers, data-subject rights). The tables name articles so the learner can read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TIERS = ("unacceptable", "high", "limited", "minimal")

PROHIBITED_PRACTICES = {
    "subliminal_manipulation": "manipulative or deceptive techniques that distort behaviour and cause significant harm "
                               "(Art. 5(1)(a))",
    "exploiting_vulnerabilities": "exploiting vulnerabilities due to age, disability or social or economic situation "
                                  "(Art. 5(1)(b))",
    "social_scoring": "scoring people on social behaviour or personality, leading to unjustified or unrelated "
                      "detrimental treatment (Art. 5(1)(c))",
    "crime_prediction_by_profiling": "predicting that a person will commit a crime solely from profiling or "
                                     "personality traits (Art. 5(1)(d))",
    "untargeted_face_scraping": "building face-recognition databases by untargeted scraping of the internet or CCTV "
                                "(Art. 5(1)(e))",
    "emotion_recognition_at_work_or_school": "inferring emotions at work or in education, except for medical or "
                                             "safety reasons (Art. 5(1)(f))",
    "biometric_categorisation_of_sensitive_traits": "inferring race, political opinions, union membership, religion, "
                                                    "sex life or orientation from biometrics (Art. 5(1)(g))",
    "realtime_remote_biometric_identification_for_police": "real-time remote biometric identification in public "
                                                           "spaces for law enforcement, outside narrow exceptions "
                                                           "(Art. 5(1)(h))",
}

ANNEX_III = {  # area -> purposes listed as high-risk
    "biometrics": {"remote_identification", "categorisation", "emotion_recognition"},
    "critical_infrastructure": {"safety_component"},
    "education": {"admission", "assessment", "level_placement", "exam_proctoring"},
    "employment": {"recruitment", "promotion_or_termination", "task_allocation", "performance_monitoring"},
    "essential_services": {"public_benefits", "credit_scoring", "life_or_health_insurance_pricing",
                           "emergency_triage"},
    "law_enforcement": {"victim_risk", "polygraph", "evidence_reliability", "reoffending_risk", "profiling"},
    "migration_border": {"polygraph", "risk_assessment", "application_examination", "identification"},
    "justice_democracy": {"judicial_assistance", "election_influence"},
}

HIGH_RISK_OBLIGATIONS = (
    "risk management system",                   # Art. 9
    "data governance",                          # Art. 10
    "technical documentation",                  # Art. 11
    "record-keeping",                           # Art. 12
    "transparency to deployers",                # Art. 13
    "human oversight",                          # Art. 14
    "accuracy, robustness and cybersecurity",   # Art. 15
    "conformity assessment",                    # Art. 43
    "registration in the EU database",          # Art. 49
)
TRANSPARENCY_OBLIGATIONS = {  # Art. 50
    "interacts_with_people": "disclose that people are interacting with an AI",
    "synthetic_content": "mark generated content as machine-readable AI output",
    "deepfake": "disclose that the content is a deepfake",
}
GPAI_OBLIGATIONS = ("technical documentation", "information for downstream providers", "copyright policy",
                    "training content summary")  # Art. 53(1)(a)-(d)
SYSTEMIC_RISK_OBLIGATIONS = ("model evaluation and adversarial testing", "systemic risk assessment and mitigation",
                             "serious incident reporting", "cybersecurity protection")  # Art. 55
SYSTEMIC_RISK_FLOPS = 1e25

_FLAGS = ("product_safety_component", "narrow_procedural_task", "profiling", *TRANSPARENCY_OBLIGATIONS)
_KEYS = {"practices", "area", "purpose", *_FLAGS}


def _validated(system: Mapping[str, Any]) -> Mapping[str, Any]:
    if not isinstance(system, Mapping):
        raise ValueError(f"describe the system as a mapping of fields, got {type(system).__name__}")
    unknown = set(system) - _KEYS
    if unknown:
        raise ValueError(f"unknown field(s) {sorted(unknown)}; known fields: {sorted(_KEYS)}")
    bad = [p for p in system.get("practices", ()) if p not in PROHIBITED_PRACTICES]
    if bad:
        raise ValueError(f"unknown practice(s) {bad}; known: {sorted(PROHIBITED_PRACTICES)}")
    area = system.get("area")
    if area is not None and area not in ANNEX_III:
        raise ValueError(f"unknown area {area!r}; Annex III areas: {sorted(ANNEX_III)}")
    if system.get("purpose") is not None and area is None:
        raise ValueError("a purpose needs an area")
    return system


def risk_tier(system: Mapping[str, Any]) -> str:
    """The AI Act tier of a system described by the fields (all optional):

    practices (names from PROHIBITED_PRACTICES), area and purpose (ANNEX_III), product_safety_component,
    narrow_procedural_task, profiling, interacts_with_people, synthetic_content, deepfake (booleans).
    Rules in order: a prohibited practice -> "unacceptable"; an Annex I safety component -> "high"; an
    Annex III (area, purpose) -> "high" unless narrow_procedural_task and not profiling; a transparency
    flag -> "limited"; else "minimal". Unknown fields, practices or areas: ValueError.

    >>> risk_tier({"area": "employment", "purpose": "recruitment"})
    'high'
    >>> risk_tier({"interacts_with_people": True})
    'limited'
    """
    system = _validated(system)
    if system.get("practices"):
        return "unacceptable"
    if system.get("product_safety_component"):
        return "high"
    area, purpose = system.get("area"), system.get("purpose")
    listed = area is not None and purpose in ANNEX_III[area]
    if listed and (system.get("profiling") or not system.get("narrow_procedural_task")):
        return "high"
    if any(system.get(flag) for flag in TRANSPARENCY_OBLIGATIONS):
        return "limited"
    return "minimal"


def obligations(system: Mapping[str, Any]) -> list[str]:
    """What the tier asks of the provider: ["prohibited"] for unacceptable; HIGH_RISK_OBLIGATIONS for high;
    plus, for high or limited, the transparency duty of every flag set (in TRANSPARENCY_OBLIGATIONS order);
    [] for minimal.

    >>> obligations({"synthetic_content": True})
    ['mark generated content as machine-readable AI output']
    """
    tier = risk_tier(system)
    if tier == "unacceptable":
        return ["prohibited"]
    duties = list(HIGH_RISK_OBLIGATIONS) if tier == "high" else []
    return duties + [duty for flag, duty in TRANSPARENCY_OBLIGATIONS.items() if system.get(flag)]


def gpai_obligations(training_flops: float, *, open_source: bool = False) -> list[str]:
    """Duties of a general-purpose AI model's provider: GPAI_OBLIGATIONS, of which a free and open-source
    model keeps only the copyright policy and the training content summary (Art. 53(2)); a model trained
    with more than 1e25 FLOPs is presumed to have systemic risk (Art. 51(2)) and adds
    SYSTEMIC_RISK_OBLIGATIONS, with no open-source exemption.

    >>> gpai_obligations(1e23, open_source=True)
    ['copyright policy', 'training content summary']
    """
    if not training_flops >= 0:
        raise ValueError(f"training_flops must be a non-negative number, got {training_flops}")
    systemic = training_flops > SYSTEMIC_RISK_FLOPS
    if open_source and not systemic:
        return ["copyright policy", "training content summary"]
    return list(GPAI_OBLIGATIONS) + (list(SYSTEMIC_RISK_OBLIGATIONS) if systemic else [])


# ----------------------------------------------------------------------------- GDPR

PRINCIPLES = ("lawfulness, fairness and transparency", "purpose limitation", "data minimisation", "accuracy",
              "storage limitation", "integrity and confidentiality", "accountability")
LAWFUL_BASES = ("consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests")
COMPATIBLE_PURPOSES = ("archiving_in_public_interest", "scientific_research", "statistics")  # Art. 5(1)(b)
_PROCESSING_KEYS = {"lawful_basis", "privacy_notice", "declared_purposes", "actual_uses", "fields_collected",
                    "fields_needed", "rectification_process", "retention_days", "retention_limit_days",
                    "encrypted", "access_control", "records_of_processing", "high_risk", "dpia_done"}


def gdpr_issues(processing: Mapping[str, Any]) -> list[str]:
    """The GDPR principles (names from PRINCIPLES, in that order) a processing activity breaks, one rule each:

    - lawfulness, fairness and transparency: lawful_basis not one of LAWFUL_BASES, or no privacy_notice;
    - purpose limitation: a use in actual_uses that is neither declared nor in COMPATIBLE_PURPOSES;
    - data minimisation: a field in fields_collected that is not in fields_needed;
    - accuracy: no rectification_process;
    - storage limitation: no retention_limit_days, or retention_days above it;
    - integrity and confidentiality: not encrypted, or no access_control;
    - accountability: no records_of_processing, or high_risk processing without dpia_done.

    Missing fields count as absent (False, None or empty). Unknown fields: ValueError.

    >>> gdpr_issues({"lawful_basis": "consent", "privacy_notice": True, "rectification_process": True,
    ...              "retention_days": 30, "retention_limit_days": 365, "encrypted": True,
    ...              "access_control": True, "records_of_processing": True})
    []
    """
    if not isinstance(processing, Mapping):
        raise ValueError(f"describe the processing as a mapping of fields, got {type(processing).__name__}")
    unknown = set(processing) - _PROCESSING_KEYS
    if unknown:
        raise ValueError(f"unknown field(s) {sorted(unknown)}; known fields: {sorted(_PROCESSING_KEYS)}")
    p = processing
    declared = set(p.get("declared_purposes", ())) | set(COMPATIBLE_PURPOSES)
    limit, kept = p.get("retention_limit_days"), p.get("retention_days")
    broken = {
        PRINCIPLES[0]: p.get("lawful_basis") not in LAWFUL_BASES or not p.get("privacy_notice"),
        PRINCIPLES[1]: bool(set(p.get("actual_uses", ())) - declared),
        PRINCIPLES[2]: bool(set(p.get("fields_collected", ())) - set(p.get("fields_needed", ()))),
        PRINCIPLES[3]: not p.get("rectification_process"),
        PRINCIPLES[4]: limit is None or (kept is not None and kept > limit),
        PRINCIPLES[5]: not (p.get("encrypted") and p.get("access_control")),
        PRINCIPLES[6]: not p.get("records_of_processing") or bool(p.get("high_risk") and not p.get("dpia_done")),
    }
    return [principle for principle in PRINCIPLES if broken[principle]]
