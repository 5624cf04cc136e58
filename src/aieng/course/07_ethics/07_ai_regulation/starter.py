"""EU AI Act risk tiers and GDPR principles as rule tables — your implementation.

Replace each `raise NotImplementedError` with code. Check it with `aieng check ai-regulation`.
The tables below are data taken from the texts (the lesson explains them); your job is the logic.
A teaching simplification, not legal advice.
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

SYSTEM_FIELDS = ("practices", "area", "purpose", "product_safety_component", "narrow_procedural_task", "profiling",
                 "interacts_with_people", "synthetic_content", "deepfake")


def risk_tier(system: Mapping[str, Any]) -> str:
    """"unacceptable", "high", "limited" or "minimal" for a system described by SYSTEM_FIELDS (all optional:
    a missing field is False / empty / None).

    Rules, first match wins:
    1. any practice (names from PROHIBITED_PRACTICES) -> "unacceptable";
    2. product_safety_component (Annex I) -> "high";
    3. purpose in ANNEX_III[area] -> "high", unless narrow_procedural_task and not profiling (Art. 6(3));
    4. interacts_with_people, synthetic_content or deepfake -> "limited";
    5. otherwise "minimal".
    ValueError: a field not in SYSTEM_FIELDS, an unknown practice, an area not in ANNEX_III, a purpose
    without an area. (A purpose not listed for its area is allowed: it is simply not high-risk.)
    """
    raise NotImplementedError


def obligations(system: Mapping[str, Any]) -> list[str]:
    """["prohibited"] if unacceptable; list(HIGH_RISK_OBLIGATIONS) if high; then, for high or limited, the
    TRANSPARENCY_OBLIGATIONS duty of every flag that is set (in that dict's order); [] if minimal."""
    raise NotImplementedError


def gpai_obligations(training_flops: float, *, open_source: bool = False) -> list[str]:
    """Duties of a general-purpose AI model provider.

    list(GPAI_OBLIGATIONS); an open-source model without systemic risk keeps only "copyright policy" and
    "training content summary"; training_flops > SYSTEMIC_RISK_FLOPS (strictly) adds
    SYSTEMIC_RISK_OBLIGATIONS and removes the open-source exemption. Negative flops: ValueError.
    """
    raise NotImplementedError


PRINCIPLES = ("lawfulness, fairness and transparency", "purpose limitation", "data minimisation", "accuracy",
              "storage limitation", "integrity and confidentiality", "accountability")
LAWFUL_BASES = ("consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests")
COMPATIBLE_PURPOSES = ("archiving_in_public_interest", "scientific_research", "statistics")  # Art. 5(1)(b)
PROCESSING_FIELDS = ("lawful_basis", "privacy_notice", "declared_purposes", "actual_uses", "fields_collected",
                     "fields_needed", "rectification_process", "retention_days", "retention_limit_days", "encrypted",
                     "access_control", "records_of_processing", "high_risk", "dpia_done")


def gdpr_issues(processing: Mapping[str, Any]) -> list[str]:
    """The principles (from PRINCIPLES, in that order) that a processing activity breaks, one rule each:

    - lawfulness, fairness and transparency: lawful_basis not in LAWFUL_BASES, or no privacy_notice;
    - purpose limitation: some actual use neither in declared_purposes nor in COMPATIBLE_PURPOSES;
    - data minimisation: some field in fields_collected not in fields_needed;
    - accuracy: no rectification_process;
    - storage limitation: retention_limit_days is None, or retention_days exceeds it;
    - integrity and confidentiality: not encrypted, or no access_control;
    - accountability: no records_of_processing, or high_risk without dpia_done.
    Missing fields are absent (False / None / empty). A field not in PROCESSING_FIELDS: ValueError.
    """
    raise NotImplementedError
