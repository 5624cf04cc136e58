"""Checks for `ai-regulation`: your rule tables against use cases labelled by hand from the EU AI Act
(Article 5's prohibitions, Annex I and Annex III's high-risk list, Article 6(3)'s derogation, Article 50's
transparency duties, Articles 51-55 on general-purpose models) and from the GDPR's Article 5 principles.

The labels are the course's reading of the texts, simplified as the lesson says: a teaching exercise in
turning rules into code, not legal advice.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aieng.grader.assertions import assert_raises_value_error, expect

HIGH = ["risk management system", "data governance", "technical documentation", "record-keeping",
        "transparency to deployers", "human oversight", "accuracy, robustness and cybersecurity",
        "conformity assessment", "registration in the EU database"]

# (what it is, its description, the tier)
USE_CASES = [
    ("a city scores residents' trustworthiness from social media and lowers the benefits of low scorers",
     {"practices": ["social_scoring"]}, "unacceptable"),
    ("a toy whose voice assistant nudges children into dangerous challenges",
     {"practices": ["exploiting_vulnerabilities"], "interacts_with_people": True}, "unacceptable"),
    ("a start-up scrapes faces from the web to sell a face-search database",
     {"practices": ["untargeted_face_scraping"]}, "unacceptable"),
    ("webcam software telling managers how frustrated each employee looks",
     {"practices": ["emotion_recognition_at_work_or_school"], "area": "biometrics",
      "purpose": "emotion_recognition"}, "unacceptable"),
    ("software rating a person's risk of committing a crime from their personality alone",
     {"practices": ["crime_prediction_by_profiling"], "area": "law_enforcement", "purpose": "profiling"},
     "unacceptable"),
    ("a CV screener that ranks applicants for a job", {"area": "employment", "purpose": "recruitment"}, "high"),
    ("a model deciding whom to promote or dismiss",
     {"area": "employment", "purpose": "promotion_or_termination"}, "high"),
    ("a bank's credit-scoring model for consumer loans", {"area": "essential_services", "purpose": "credit_scoring"},
     "high"),
    ("pricing of life insurance from health data",
     {"area": "essential_services", "purpose": "life_or_health_insurance_pricing"}, "high"),
    ("triage of emergency calls", {"area": "essential_services", "purpose": "emergency_triage"}, "high"),
    ("a university admissions ranking", {"area": "education", "purpose": "admission"}, "high"),
    ("automated proctoring that flags cheating in online exams", {"area": "education", "purpose": "exam_proctoring"},
     "high"),
    ("a model estimating a defendant's risk of reoffending",
     {"area": "law_enforcement", "purpose": "reoffending_risk"}, "high"),
    ("a tool helping judges research and apply the law",
     {"area": "justice_democracy", "purpose": "judicial_assistance"}, "high"),
    ("vision system that is the safety component of an industrial machine",
     {"product_safety_component": True}, "high"),
    ("AI in a medical device that reads ECGs", {"product_safety_component": True}, "high"),
    ("a chatbot on the credit-application page that also scores the applicant",
     {"area": "essential_services", "purpose": "credit_scoring", "interacts_with_people": True}, "high"),
    ("a tool that only converts scanned CVs into structured text (a narrow procedural task)",
     {"area": "employment", "purpose": "recruitment", "narrow_procedural_task": True}, "minimal"),
    ("a 'narrow' CV pre-filter that nonetheless profiles candidates",
     {"area": "employment", "purpose": "recruitment", "narrow_procedural_task": True, "profiling": True}, "high"),
    ("card-payment fraud detection (Annex III excludes fraud detection from credit uses)",
     {"area": "essential_services", "purpose": "fraud_detection"}, "minimal"),
    ("face verification to unlock one's own phone (verification is not identification)",
     {"area": "biometrics", "purpose": "verification"}, "minimal"),
    ("a customer-service chatbot", {"interacts_with_people": True}, "limited"),
    ("an image generator", {"synthetic_content": True}, "limited"),
    ("a video tool that swaps faces of real people", {"synthetic_content": True, "deepfake": True}, "limited"),
    ("a spam filter", {}, "minimal"),
    ("recommendations in a video game", {}, "minimal"),
]


def test_risk_tiers_of_labelled_use_cases(impl):
    """risk_tier gives each of 26 hand-labelled use cases its tier: prohibited practices are 'unacceptable',
    Annex I safety components and Annex III uses 'high' (unless a narrow procedural task without
    profiling), chatbots and generators 'limited', the rest 'minimal'."""
    wrong = [(what, impl.risk_tier(system), tier) for what, system, tier in USE_CASES
             if impl.risk_tier(system) != tier]
    expect(not wrong, "; ".join(f"{what}: got {got!r}, expected {tier!r}" for what, got, tier in wrong[:4]))


def test_obligations(impl):
    """obligations: ['prohibited'] for an unacceptable system; the nine high-risk duties (Articles 9-15, 43,
    49) for a high-risk one, followed by any transparency duty; only the transparency duties of the flags
    set for a limited one; nothing for a minimal one."""
    cases = [
        ({"practices": ["social_scoring"], "interacts_with_people": True}, ["prohibited"]),
        ({"area": "employment", "purpose": "recruitment"}, HIGH),
        ({"area": "essential_services", "purpose": "credit_scoring", "interacts_with_people": True},
         [*HIGH, "disclose that people are interacting with an AI"]),
        ({"interacts_with_people": True}, ["disclose that people are interacting with an AI"]),
        ({"synthetic_content": True, "deepfake": True},
         ["mark generated content as machine-readable AI output", "disclose that the content is a deepfake"]),
        ({}, []),
    ]
    for system, expected in cases:
        got = list(impl.obligations(system))
        expect(got == expected, f"obligations({system}) returned {got}, expected {expected}")


PRACTICES = ["social_scoring", "subliminal_manipulation", "untargeted_face_scraping"]
SYSTEMS = st.fixed_dictionaries({}, optional={
    "area": st.sampled_from(["employment", "education", "essential_services"]),
    "product_safety_component": st.booleans(), "narrow_procedural_task": st.booleans(), "profiling": st.booleans(),
    "interacts_with_people": st.booleans(), "synthetic_content": st.booleans(), "deepfake": st.booleans(),
}).flatmap(lambda s: st.just(s) if "area" not in s else st.sampled_from(
    ["recruitment", "admission", "credit_scoring", "chess_coaching"]).map(lambda p: {**s, "purpose": p}))


@given(SYSTEMS, st.sampled_from(PRACTICES))
def test_a_prohibited_practice_overrides_everything(impl, system, practice):
    """Whatever else a system does, adding one prohibited practice makes it 'unacceptable'."""
    got = impl.risk_tier({**system, "practices": [practice]})
    expect(got == "unacceptable",
           f"risk_tier({ {**system, 'practices': [practice]} }) is {got!r}, expected 'unacceptable'")


@given(SYSTEMS)
def test_transparency_flags_never_lower_the_tier(impl, system):
    """Turning on a transparency flag (a chatbot interface) can raise a minimal system to 'limited' but never
    lowers a high-risk one; and the tier is one of the four names."""
    order = ["minimal", "limited", "high", "unacceptable"]
    before = impl.risk_tier(system)
    after = impl.risk_tier({**system, "interacts_with_people": True})
    expect(before in order and after in order, f"tiers must be one of {order}, got {before!r} and {after!r}")
    expect(order.index(after) >= max(order.index(before), 1),
           f"adding a chatbot interface to {system} changed the tier from {before!r} to {after!r}")


def test_general_purpose_ai_obligations(impl):
    """GPAI models: four duties (Art. 53); open-source models keep only the copyright policy and training
    summary; above 1e25 training FLOPs (strictly), four systemic-risk duties are added and the open-source
    exemption no longer applies."""
    base = ["technical documentation", "information for downstream providers", "copyright policy",
            "training content summary"]
    systemic = ["model evaluation and adversarial testing", "systemic risk assessment and mitigation",
                "serious incident reporting", "cybersecurity protection"]
    cases = [((1e23, False), base), ((1e23, True), ["copyright policy", "training content summary"]),
             ((1e25, True), ["copyright policy", "training content summary"]), ((1e25, False), base),
             ((3e25, False), base + systemic), ((5e25, True), base + systemic)]
    for (flops, open_source), expected in cases:
        got = list(impl.gpai_obligations(flops, open_source=open_source))
        expect(got == expected, f"gpai_obligations({flops:g}, open_source={open_source}) returned {got}, "
                                f"expected {expected}")


COMPLIANT = {"lawful_basis": "contract", "privacy_notice": True, "declared_purposes": ["billing"],
             "actual_uses": ["billing", "statistics"], "fields_collected": ["name", "iban"],
             "fields_needed": ["name", "iban"], "rectification_process": True, "retention_days": 365,
             "retention_limit_days": 3650, "encrypted": True, "access_control": True,
             "records_of_processing": True}
GDPR_CASES = [
    ("a billing system that follows every rule", {}, []),
    ("no lawful basis was identified", {"lawful_basis": None}, ["lawfulness, fairness and transparency"]),
    ("'because we can' is not a lawful basis", {"lawful_basis": "curiosity"},
     ["lawfulness, fairness and transparency"]),
    ("people are not told what happens to their data", {"privacy_notice": False},
     ["lawfulness, fairness and transparency"]),
    ("billing data reused to train an ad-targeting model", {"actual_uses": ["billing", "ad_targeting"]},
     ["purpose limitation"]),
    ("billing data reused for scientific research (compatible by Art. 5(1)(b))",
     {"actual_uses": ["billing", "scientific_research"]}, []),
    ("the sign-up form also asks for date of birth and religion",
     {"fields_collected": ["name", "iban", "birth_date", "religion"]}, ["data minimisation"]),
    ("customers cannot correct wrong records", {"rectification_process": False}, ["accuracy"]),
    ("records kept forever: no retention limit set", {"retention_limit_days": None}, ["storage limitation"]),
    ("records kept longer than the policy allows", {"retention_days": 4000}, ["storage limitation"]),
    ("a laptop with an unencrypted customer export", {"encrypted": False}, ["integrity and confidentiality"]),
    ("every employee can read every record", {"access_control": False}, ["integrity and confidentiality"]),
    ("nobody keeps a record of the processing", {"records_of_processing": False}, ["accountability"]),
    ("large-scale health profiling without an impact assessment", {"high_risk": True, "dpia_done": False},
     ["accountability"]),
    ("the same, with a DPIA done", {"high_risk": True, "dpia_done": True}, []),
    ("a leaky, over-collecting ad-tech pipeline",
     {"lawful_basis": None, "actual_uses": ["ads"], "fields_collected": ["name", "iban", "location"],
      "encrypted": False, "retention_limit_days": None},
     ["lawfulness, fairness and transparency", "purpose limitation", "data minimisation", "storage limitation",
      "integrity and confidentiality"]),
]


def test_gdpr_issues_of_labelled_processing(impl):
    """gdpr_issues lists the broken principles, in Article 5's order, for 16 labelled variations of a
    compliant billing system (each changes one or more facts)."""
    for what, change, expected in GDPR_CASES:
        got = list(impl.gdpr_issues({**COMPLIANT, **change}))
        expect(got == expected, f"{what}: gdpr_issues returned {got}, expected {expected}")


def test_missing_facts_count_as_absent(impl):
    """An empty description breaks every principle except purpose limitation and data minimisation (nothing
    is used or collected): no basis, no notice, no rectification, no retention limit, no security, no records."""
    expected = ["lawfulness, fairness and transparency", "accuracy", "storage limitation",
                "integrity and confidentiality", "accountability"]
    got = list(impl.gdpr_issues({}))
    expect(got == expected, f"gdpr_issues({{}}) returned {got}, expected {expected}")


def test_rejects_unknown_fields(impl):
    """A misspelt field, an unknown practice or area, or a purpose without an area raises ValueError, so a
    typo cannot silently make a system look harmless."""
    assert_raises_value_error(impl.risk_tier, {"aera": "employment"}, why="'aera' is not a field")
    assert_raises_value_error(impl.risk_tier, {"practices": ["mind_reading"]}, why="not a practice of Article 5")
    assert_raises_value_error(impl.risk_tier, {"area": "astrology", "purpose": "x"}, why="not an Annex III area")
    assert_raises_value_error(impl.risk_tier, {"purpose": "recruitment"}, why="a purpose needs its area")
    assert_raises_value_error(impl.gdpr_issues, {"encryption": True}, why="the field is called 'encrypted'")
    assert_raises_value_error(impl.gpai_obligations, -1.0, why="compute cannot be negative")
