"""What each of the course's 18 roles does, in English and Japanese: ``roles("en")``, ``roles("ja")``.

Every communication exercise asks the learner to pick roles from ``ROLES``; this table says what
each one does, so the choice is informed. The duties follow the role table of the workshop this
course grew from, written in the course's own words, and they keep apart the roles that sound
alike: the people who use the software (Operator, ML Operator) from those who keep it running
(System Admin) or automate it (DevOps, MLOps Engineer); company-wide control (IT Auditor) from the
model's own risk (Model Risk Manager); the data platform (Data Architect) from the model's inputs
(Data Engineer); the product's architecture (Architect) from the ML architecture (AI/ML Architect).
"""
from __future__ import annotations

import pandas as pd

from coursekit.vocabulary import ROLES

#: Role (its English name in ``ROLES``) -> (name, duty) per language.
_ROLE_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "Product Manager": ("Product Manager",
                            "Decides which product features to build to improve the users' experience, sets the order of "
                            "priorities, and wins the sponsor's backing for the project."),
        "Business Analyst": ("Business Analyst",
                             "Defines the business problem worth solving and keeps the business case behind it: wages, "
                             "budgets and the savings the project must bring."),
        "Data Analyst": ("Data Analyst",
                         "Pins the business problem down in numbers by visualising and analysing the data the business "
                         "already reports on, and knows how that data is cleaned for those reports."),
        "Architect": ("Architect",
                      "Designs the overall architecture of the existing product software: which systems and "
                      "environments exist and how they fit together."),
        "DevOps Engineer": ("DevOps Engineer",
                            "Automates how the product software is built, tested, released and run: source control and "
                            "branch rules, build pipelines, development environments and access to them."),
        "Software Engineer": ("Software Engineer",
                              "Writes and changes the product software, and knows what each piece of its data means on "
                              "the system side."),
        "Operator": ("Operator",
                     "Uses the product software to do the business's daily work (the staff on the line), and knows "
                     "how that work is done and how long it takes."),
        "System Admin": ("System Admin",
                         "Keeps the product's services running and watches how they behave in production, and knows "
                         "what running and buying systems costs."),
        "IT Auditor": ("IT Auditor",
                       "Controls permissions and audits systems across the whole company: which software may be "
                       "installed, which network access is allowed, how to apply for an exception, which machines "
                       "staff receive, and what law and company rules allow."),
        "Data Architect": ("Data Architect",
                           "Designs and runs the platform that stores and manages the company's data: databases, the "
                           "data warehouse and the collection of data into them."),
        "Domain Expert": ("Domain Expert",
                          "Knows the business in depth and defines what the data means and what state it should be in, "
                          "for example what counts as a defect."),
        "Data Engineer": ("Data Engineer",
                          "Builds the data and features a model can take as input, and the pipelines that collect and "
                          "transform them."),
        "Data Scientist": ("Data Scientist",
                           "Develops ML models: chooses the method, trains the model and evaluates it."),
        "ML Engineer": ("ML Engineer",
                        "Turns a trained model into a form that can be deployed to production: packaging, inference "
                        "code and serving."),
        "ML Operator": ("ML Operator",
                        "Does the business's work from the model's predictions, for example checking what the model "
                        "flags, and feeds back where the predictions go wrong."),
        "Model Risk Manager": ("Model Risk Manager",
                               "Watches how the ML model's predictions behave in production and judges the model's "
                               "risks: drift, fairness, legal fit and social impact."),
        "MLOps Engineer": ("MLOps Engineer",
                           "Automates how ML models are trained, deployed, run and monitored, and runs the model "
                           "and its inference jobs in production."),
        "AI/ML Architect": ("AI/ML Architect",
                            "Designs the overall architecture ML models need: where data, training and inference run "
                            "and how they connect to the product."),
    },
    "ja": {
        "Product Manager": ("プロダクトマネージャー",
                            "ユーザー体験を良くするために作るべきプロダクトの機能と優先順位を決め、プロジェクトへのスポンサーの支持を取り付ける。"),
        "Business Analyst": ("ビジネスアナリスト",
                             "解決すべきビジネス上の課題を定義し、人件費や予算、プロジェクトが生むべき削減額といったビジネスケースを管理する。"),
        "Data Analyst": ("データアナリスト",
                         "業務で既に報告に使われているデータを可視化・分析して課題を数字で特定し、報告のためにデータをどう整えているかを知っている。"),
        "Architect": ("アーキテクト",
                      "既存のプロダクトのソフトウェア全体のアーキテクチャを設計し、どのシステムや環境がありどうつながるかを把握している。"),
        "DevOps Engineer": ("DevOpsエンジニア",
                            "ソースコード管理とブランチのルール、ビルドのパイプライン、開発環境とそのアクセス権など、プロダクトのソフトウェアの開発・リリース・運用の流れを自動化する。"),
        "Software Engineer": ("ソフトウェアエンジニア",
                              "プロダクトのソフトウェアを開発・改修し、システム側で各データが何を意味するかを知っている。"),
        "Operator": ("業務担当者",
                     "プロダクトのソフトウェアを使って日々の業務(現場の作業)を行い、その業務の進め方と所要時間を知っている。"),
        "System Admin": ("システム管理者",
                         "プロダクトのサービスを稼働させ続けて本番での挙動を監視し、システムの運用や購入にかかる費用を知っている。"),
        "IT Auditor": ("IT監督者",
                       "会社全体の権限管理とシステムの監査を行い、インストールできるソフトウェア、許されるネットワークアクセス、制限解除の申請方法、社員に支給する端末、法令や社内規程で許されることを定める。"),
        "Data Architect": ("データアーキテクト",
                           "データベースやデータウェアハウス、そこへのデータ収集など、会社のデータを保管・管理する基盤を設計し運用する。"),
        "Domain Expert": ("業務有識者",
                          "業務を深く知り、何を不良とみなすかなど、データの意味とあるべき状態を定義する。"),
        "Data Engineer": ("データエンジニア",
                          "機械学習モデルの入力にできるデータと特徴量を作り、それを収集・変換するパイプラインを作る。"),
        "Data Scientist": ("データサイエンティスト",
                           "手法を選び、学習させ、評価して、機械学習モデルを開発する。"),
        "ML Engineer": ("機械学習エンジニア",
                        "パッケージ化、推論コード、推論サービスなど、学習済みモデルを本番環境にデプロイできる形に変える。"),
        "ML Operator": ("業務担当者(機械学習側)",
                        "モデルが示した対象の確認など、モデルの推論結果に基づいて業務を行い、推論が外れたところをフィードバックする。"),
        "Model Risk Manager": ("機械学習モデルリスク管理者",
                               "本番でのモデルの推論の挙動を監視し、データの変化、公平性、法的な適合性、社会的な影響といったモデルのリスクを判断する。"),
        "MLOps Engineer": ("MLOpsエンジニア",
                           "機械学習モデルの学習・デプロイ・運用・監視の流れを自動化し、本番でモデルと推論処理を動かす。"),
        "AI/ML Architect": ("AI/MLアーキテクト",
                            "データ、学習、推論をどこで動かしプロダクトとどうつなぐかなど、機械学習モデルに必要なアーキテクチャ全体を設計する。"),
    },
}

#: The languages ``roles`` speaks.
ROLE_LANGUAGES: tuple[str, ...] = tuple(_ROLE_TEXTS)


def roles(lang: str = "en") -> pd.DataFrame:
    """The course's 18 roles: each one's name and what it does, in ``lang``.

    Parameters
    ----------
    lang : {"en", "ja"}
        The language of the ``name`` and ``duty`` columns.

    Returns
    -------
    pandas.DataFrame
        One row per role, indexed by the role's English name as in ``ROLES`` (in that order),
        with the columns ``name`` (the role's name in ``lang``) and ``duty`` (one sentence).

    Raises
    ------
    ValueError
        When ``lang`` is not one of the languages the table is written in.

    Examples
    --------
    >>> roles("ja").loc["Operator", "name"]
    '業務担当者'
    """
    if lang not in _ROLE_TEXTS:
        raise ValueError(f"roles() knows no language {lang!r}: use one of {list(ROLE_LANGUAGES)}.")
    texts = _ROLE_TEXTS[lang]
    return pd.DataFrame([texts[role] for role in ROLES], index=pd.Index(ROLES, name="role"), columns=["name", "duty"])
