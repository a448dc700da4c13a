# Reminders become one kind of outgoing mail: the table is renamed and widened, its rows kept.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('actions', '0007_signup_list_indexes'),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='reminder', name='reminder_once_per_offset'),
        migrations.RemoveConstraint(model_name='reminder', name='reminder_status_known'),
        migrations.RemoveIndex(model_name='reminder', name='reminder_unfinished'),
        migrations.RenameModel(old_name='Reminder', new_name='OutgoingMail'),
        migrations.AlterModelOptions(
            name='outgoingmail',
            options={'ordering': ['-created_at', 'pk'], 'verbose_name': 'outgoing email', 'verbose_name_plural': 'outgoing mail'},
        ),
        migrations.AddField(
            model_name='outgoingmail',
            name='kind',
            field=models.CharField(choices=[('confirm', 'Confirmation link'), ('existing', 'Manage link (signed up already)'), ('promoted', 'Seat from the waitlist'), ('cancelled', 'Signup cancelled by an organizer'), ('update', 'Action changed'), ('reminder', 'Reminder')], default='reminder', max_length=20, verbose_name='kind'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='outgoingmail',
            name='recipient',
            field=models.EmailField(blank=True, max_length=254, verbose_name='recipient'),
        ),
        migrations.AddField(
            model_name='outgoingmail',
            name='language',
            field=models.CharField(blank=True, choices=[('en', 'English'), ('es', 'Español')], max_length=2, verbose_name='language'),
        ),
        migrations.AddField(
            model_name='outgoingmail',
            name='context',
            field=models.JSONField(blank=True, default=dict, verbose_name='context'),
        ),
        migrations.AddField(
            model_name='outgoingmail',
            name='message_id',
            field=models.CharField(blank=True, max_length=255, verbose_name="provider's message id"),
        ),
        migrations.AlterField(
            model_name='outgoingmail',
            name='signup',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='mail', to='actions.signup', verbose_name='signup'),
        ),
        migrations.AlterField(
            model_name='outgoingmail',
            name='minutes_before',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='minutes before the start'),
        ),
        migrations.AlterField(
            model_name='outgoingmail',
            name='action_starts_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='for the start at'),
        ),
        migrations.AlterField(
            model_name='outgoingmail',
            name='status',
            field=models.CharField(choices=[('queued', 'Queued'), ('sending', 'Being sent'), ('sent', 'Sent'), ('skipped', 'Skipped'), ('failed', 'Failed'), ('undeliverable', 'Not sent: address undeliverable')], default='queued', max_length=13, verbose_name='status'),
        ),
        migrations.AddIndex(
            model_name='outgoingmail',
            index=models.Index(condition=models.Q(('status__in', ['queued', 'sending'])), fields=['status', 'next_attempt_at'], name='mail_unfinished'),
        ),
        migrations.AddIndex(
            model_name='outgoingmail',
            index=models.Index(fields=['created_at', 'id'], name='mail_created'),
        ),
        migrations.AddIndex(
            model_name='outgoingmail',
            index=models.Index(condition=models.Q(('message_id', ''), _negated=True), fields=['message_id'], name='mail_message_id'),
        ),
        migrations.AddConstraint(
            model_name='outgoingmail',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'reminder')), fields=('signup', 'minutes_before', 'action_starts_at'), name='reminder_once_per_offset'),
        ),
        migrations.AddConstraint(
            model_name='outgoingmail',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'reminder'), _negated=True), models.Q(('action_starts_at__isnull', False), ('minutes_before__isnull', False)), _connector='OR'), name='reminder_names_its_offset'),
        ),
        migrations.AddConstraint(
            model_name='outgoingmail',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['queued', 'sending', 'sent', 'skipped', 'failed', 'undeliverable'])), name='mail_status_known'),
        ),
        migrations.AddConstraint(
            model_name='outgoingmail',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['confirm', 'existing', 'promoted', 'cancelled', 'update', 'reminder'])), name='mail_kind_known'),
        ),
        migrations.CreateModel(
            name='Reminder',
            fields=[],
            options={'verbose_name': 'reminder', 'verbose_name_plural': 'reminders', 'proxy': True, 'indexes': [], 'constraints': []},
            bases=('actions.outgoingmail',),
        ),
        migrations.CreateModel(
            name='Suppression',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('address_hash', models.CharField(editable=False, max_length=64, unique=True, verbose_name='address hash')),
                ('address', models.EmailField(blank=True, help_text='Erased after the retention period.', max_length=254, verbose_name='address')),
                ('reason', models.CharField(choices=[('bounced', 'Bounced for good (hard bounce)'), ('complained', 'Marked as spam by the recipient'), ('rejected', 'Refused by the email provider')], max_length=10, verbose_name='reason')),
                ('provider', models.CharField(blank=True, max_length=30, verbose_name='email provider')),
                ('detail', models.TextField(blank=True, verbose_name="provider's description")),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='reported')),
            ],
            options={
                'verbose_name': 'undeliverable address',
                'verbose_name_plural': 'undeliverable addresses',
                'ordering': ['-created_at', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('reason__in', ['bounced', 'complained', 'rejected'])), name='suppression_reason_known')],
            },
        ),
    ]
