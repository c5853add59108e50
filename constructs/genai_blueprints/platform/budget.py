"""CostBudget: a monthly AWS Budgets cost budget for one app, filtered by its cost-allocation tag."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_budgets as budgets
from aws_cdk import aws_sns as sns
from constructs import Construct

from genai_blueprints.feature_flags import BlueprintConstruct
from genai_blueprints.platform.observability import EMAIL_ADDRESS
from genai_blueprints.platform.tagging import CostAllocationTags
from genai_blueprints.resource_policies import allow_service_to_publish, budget_source_arn
from genai_blueprints.validation import SNS_TOPIC, PropsValidator

MAX_EMAIL_SUBSCRIBERS = 10  # AWS Budgets: up to 10 email subscribers and 1 SNS topic per notification
MAX_NOTIFICATIONS = 10  # AWS Budgets: up to 10 notifications per budget


class CostBudget(BlueprintConstruct):
    """A monthly cost budget over the resources tagged with the app's `genai:application` tag.

    Notifies when actual spend passes each of `actual_thresholds` and when forecasted spend passes
    each of `forecasted_thresholds` (percentages of the limit), through the alarm topic and/or email.
    The tag must be activated as a cost-allocation tag (see CostAllocationTags).

    Attributes:
        budget: the AWS::Budgets::Budget resource.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        tags: CostAllocationTags,
        monthly_limit_usd: float,
        topic: sns.ITopic | None = None,
        emails: Sequence[str] = (),
        actual_thresholds: Sequence[float] = (80.0, 100.0),
        forecasted_thresholds: Sequence[float] = (100.0,),
        filter_tag: tuple[str, str] | None = None,
    ) -> None:
        """
        Args:
            tags: the app's cost-allocation tags; the budget counts costs tagged with its application.
            monthly_limit_usd: the budget, in USD per month.
            topic: notified at every threshold (e.g. Observability.alarm_topic, which allows AWS
                Budgets to publish). Default: no topic; then `emails` must not be empty.
            emails: up to 10 addresses notified at every threshold. Default: none.
            actual_thresholds: percentages of the limit (0.1 to 1000) for actual spend. Default: 80, 100.
            forecasted_thresholds: percentages of the limit for forecasted spend. Default: 100.
            filter_tag: (key, value) of the cost-allocation tag the budget counts, e.g. ("genai:tenant",
                "claims") for one tenant of a model gateway. Default: the tags' application tag.
        """
        super().__init__(scope, construct_id)
        validator = PropsValidator(f"CostBudget '{self.node.path}'")
        tags_ok = validator.check_type("tags", tags, CostAllocationTags,
                                       "it must be a CostAllocationTags, e.g. CostAllocationTags(application='my-app')")
        validator.check_positive("monthly_limit_usd", monthly_limit_usd)
        topic_ok = validator.check_interface("topic", topic, SNS_TOPIC, optional=True)
        if validator.check_items("emails", emails, str, "an email address (str)"):
            validator.check(not topic_ok or topic is not None or bool(emails), "emails", list(emails),
                            "give a topic or at least one email address, or nobody hears about overspending")
            validator.check(len(emails) <= MAX_EMAIL_SUBSCRIBERS, "emails", list(emails),
                            f"AWS Budgets allows at most {MAX_EMAIL_SUBSCRIBERS} email subscribers per notification")
            for index, email in enumerate(emails):
                validator.check(bool(EMAIL_ADDRESS.match(email)), f"emails[{index}]", email, "it must be an email address")
        counts_ok = True
        for name, thresholds in (("actual_thresholds", actual_thresholds), ("forecasted_thresholds", forecasted_thresholds)):
            if not validator.check_items(name, thresholds, (int, float),
                                         "a percentage of the limit from 0.1 to 1000 (a number)"):
                counts_ok = False
                continue
            for index, threshold in enumerate(thresholds):
                validator.check(0.1 <= threshold <= 1000, f"{name}[{index}]", threshold,
                                "it must be a percentage of the limit from 0.1 to 1000")
            validator.check(len(set(thresholds)) == len(thresholds), name, list(thresholds), "thresholds must be distinct")
        if counts_ok:
            validator.check(bool(actual_thresholds) or bool(forecasted_thresholds), "actual_thresholds",
                            list(actual_thresholds), "give at least one actual or forecasted threshold")
            validator.check(len(actual_thresholds) + len(forecasted_thresholds) <= MAX_NOTIFICATIONS, "actual_thresholds",
                            list(actual_thresholds),
                            f"AWS Budgets allows at most {MAX_NOTIFICATIONS} notifications per budget")
        if filter_tag is not None:
            validator.check(isinstance(filter_tag, tuple) and len(filter_tag) == 2
                            and all(isinstance(part, str) and part for part in filter_tag), "filter_tag", filter_tag,
                            "it must be a (key, value) tuple of non-empty text")
        validator.raise_if_invalid()
        if tags_ok:
            tags.validate()

        subscribers = [budgets.CfnBudget.SubscriberProperty(subscription_type="EMAIL", address=email) for email in emails]
        if topic is not None:
            subscribers.append(budgets.CfnBudget.SubscriberProperty(subscription_type="SNS", address=topic.topic_arn))
            allow_service_to_publish(self, topic, "budgets.amazonaws.com", source_arn=budget_source_arn(self), key_conditions=False,
                                     purpose="AWS Budgets notifying it")
        notifications = [
            budgets.CfnBudget.NotificationWithSubscribersProperty(
                notification=budgets.CfnBudget.NotificationProperty(
                    notification_type=kind,
                    comparison_operator="GREATER_THAN",
                    threshold=float(threshold),
                    threshold_type="PERCENTAGE",
                ),
                subscribers=subscribers,
            )
            for kind, thresholds in (("ACTUAL", actual_thresholds), ("FORECASTED", forecasted_thresholds))
            for threshold in thresholds
        ]
        self.budget = budgets.CfnBudget(
            self,
            "Budget",
            budget=budgets.CfnBudget.BudgetDataProperty(
                budget_type="COST",
                time_unit="MONTHLY",
                budget_limit=budgets.CfnBudget.SpendProperty(amount=monthly_limit_usd, unit="USD"),
                # Cost Explorer's tag filter syntax: user:<key>$<value>.
                cost_filters={"TagKeyValue": [f"user:{key}${value}" for key, value in
                                              [filter_tag or (tags.application_tag_key, tags.application)]]},
            ),
            notifications_with_subscribers=notifications,
            # Explicit: aws-cdk-lib before 2.275 does not apply Tags.of() to AWS::Budgets::Budget.
            resource_tags=[budgets.CfnBudget.ResourceTagProperty(key=key, value=value)
                           for key, value in tags.as_dict().items()],
        )
