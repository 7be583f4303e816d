using System;
using System.Collections.Generic;
using System.Data;
using System.Data.Common;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TenantGuard.Rls
{
    /// <summary>
    /// Runs work for a tenant the way PostgreSQL row-level security needs it: a short-lived connection, an explicit
    /// transaction, the tenant (and role) applied with <c>set_config(name, value, true)</c> and bound values in one round
    /// trip, the work on that same connection and transaction, the commit. Transaction-local settings end with the
    /// transaction, so nothing leaks to the next user of the pooled connection.
    /// A transient failure (<see cref="DbException"/> with IsTransient) while opening, beginning or applying the
    /// settings is retried once; once the work has started nothing is retried, and nothing is swallowed.
    /// </summary>
    public sealed class TenantDatabase
    {
        private readonly Func<CancellationToken, Task<DbConnection>> _openConnection;
        private readonly RlsOptions _options;

        /// <param name="openConnection">Opens a new connection (it is disposed after the work).</param>
        /// <param name="options">How to apply the context; defaults when null.</param>
        public TenantDatabase(Func<CancellationToken, Task<DbConnection>> openConnection, RlsOptions? options = null)
        {
            _openConnection = openConnection ?? throw new ArgumentNullException(nameof(openConnection));
            _options = options ?? new RlsOptions();
        }

        /// <summary>Connections from a provider factory and a connection string.</summary>
        public TenantDatabase(DbProviderFactory factory, string connectionString, RlsOptions? options = null)
            : this(ct => OpenAsync(factory, connectionString, ct), options)
        {
        }

#if NET8_0_OR_GREATER
        /// <summary>Connections from a data source (NpgsqlDataSource is one).</summary>
        public TenantDatabase(DbDataSource dataSource, RlsOptions? options = null)
            : this(async ct => await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false), options)
        {
        }
#endif

        /// <summary>Runs <paramref name="work"/> for the tenant and commits; returns its result.</summary>
        public async Task<T> WithTenantAsync<T>(TenantContext tenant, Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
        {
            if (tenant is null)
            {
                throw new ArgumentNullException(nameof(tenant));
            }

            if (work is null)
            {
                throw new ArgumentNullException(nameof(work));
            }

            var (connection, transaction) = await BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
#if NET8_0_OR_GREATER
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
#else
                transaction.Commit();
#endif
                return result;
            }
            finally
            {
                // Disposing an uncommitted transaction rolls it back.
#if NET8_0_OR_GREATER
                await transaction.DisposeAsync().ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
#else
                transaction.Dispose();
                connection.Dispose();
#endif
            }
        }

        /// <summary>Runs <paramref name="work"/> for the tenant and commits.</summary>
        public Task WithTenantAsync(TenantContext tenant, Func<DbConnection, DbTransaction, CancellationToken, Task> work, CancellationToken cancellationToken = default) =>
            WithTenantAsync<bool>(
                tenant,
                async (connection, transaction, ct) =>
                {
                    await work(connection, transaction, ct).ConfigureAwait(false);
                    return true;
                },
                cancellationToken);

        private async Task<(DbConnection, DbTransaction)> BeginAsync(TenantContext tenant, CancellationToken cancellationToken)
        {
            for (var attempt = 0; ; attempt++)
            {
                DbConnection? connection = null;
                DbTransaction? transaction = null;
                try
                {
                    connection = await _openConnection(cancellationToken).ConfigureAwait(false);
#if NET8_0_OR_GREATER
                    transaction = await connection.BeginTransactionAsync(_options.IsolationLevel, cancellationToken).ConfigureAwait(false);
#else
                    transaction = connection.BeginTransaction(_options.IsolationLevel);
#endif
                    await ApplySettingsAsync(connection, transaction, tenant, cancellationToken).ConfigureAwait(false);
                    return (connection, transaction);
                }
                catch (Exception ex) when (attempt == 0 && IsTransient(ex))
                {
                    // One retry, on a new connection, before any work has run.
                    transaction?.Dispose();
                    connection?.Dispose();
                }
                catch
                {
                    transaction?.Dispose();
                    connection?.Dispose();
                    throw;
                }
            }
        }

        private async Task ApplySettingsAsync(DbConnection connection, DbTransaction transaction, TenantContext tenant, CancellationToken cancellationToken)
        {
            var settings = new List<KeyValuePair<string, string>> { new(_options.TenantSetting, tenant.TenantId) };
            if (tenant.Role is not null)
            {
                settings.Add(new(_options.RoleSetting, tenant.Role));
            }

            foreach (var extra in _options.ExtraSettings)
            {
                settings.Add(extra);
            }

            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder("SELECT ");
            for (var i = 0; i < settings.Count; i++)
            {
                var name = AddParameter(command, "tg_name" + i, settings[i].Key);
                var value = AddParameter(command, "tg_value" + i, settings[i].Value);
                sql.Append(i == 0 ? string.Empty : ", ").Append("set_config(").Append(name).Append(", ").Append(value).Append(", true)");
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        private string AddParameter(DbCommand command, string name, string value)
        {
            var parameter = command.CreateParameter();
            parameter.DbType = DbType.String;
            parameter.Value = value;
            if (_options.PositionalParameters)
            {
                command.Parameters.Add(parameter);
                return "$" + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
            return "@" + name;
        }

        private static async Task<DbConnection> OpenAsync(DbProviderFactory factory, string connectionString, CancellationToken cancellationToken)
        {
            var connection = factory.CreateConnection() ?? throw new InvalidOperationException($"{factory.GetType().Name} created no connection.");
            try
            {
                connection.ConnectionString = connectionString;
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        /// <summary>DbException.IsTransient (.NET 5+), read by reflection on netstandard2.0 where the base lacks it.</summary>
        internal static bool IsTransient(Exception exception)
        {
#if NET8_0_OR_GREATER
            return exception is DbException { IsTransient: true };
#else
            return exception is DbException
                && exception.GetType().GetProperty("IsTransient")?.GetValue(exception) is true;
#endif
        }
    }
}
